using System.Text.Json.Serialization;

namespace PaperMailer.Domain;

/// <summary>
/// A preset research topic from config/topics.json: a name people pick, the specific terms that admit a paper to it
/// (<see cref="Keywords"/>, each only where the paper has its words together), and context words that only raise a
/// paper already admitted (<see cref="Context"/>): a generic word such as "control" or "benchmark" occurs in papers of
/// every field, so on its own it says nothing about the topic.
/// </summary>
public sealed record Topic
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>What the topic is about, in a sentence; with paper vectors, a paper clearly similar to it in meaning may enter.</summary>
    public string Description { get; init; } = "";

    /// <summary>The topic's specific terms: a paper enters on one of them, matched whole (its words together, as a phrase).</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Words that raise a paper already admitted by a keyword; they never admit one.</summary>
    public IReadOnlyList<string> Context { get; init; } = [];

    /// <summary>Terms that rule a paper out of the topic ("exclude" in the topics file).</summary>
    [JsonPropertyName("exclude")]
    public IReadOnlyList<string> Exclusions { get; init; } = [];
}
