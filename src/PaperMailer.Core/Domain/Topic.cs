namespace PaperMailer.Domain;

/// <summary>A preset research topic from config/topics.json: a name people pick, and the keywords it stands for.</summary>
public sealed record Topic
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
}
