using System.Text.Json;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;
using PaperMailer.Domain;

namespace PaperMailer.Topics;

/// <summary>
/// Topics read from the topics file: a JSON array of {"id", "name", "description", "keywords": [], "exclude": []}.
/// Read once at start; a broken file stops the program with the file and the reason.
/// </summary>
public sealed class TopicsFileCatalog : ITopicCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly Dictionary<string, Topic> _byId;

    public TopicsFileCatalog(IOptions<TopicOptions> options) : this(ContentPaths.Resolve(options.Value.File)) { }

    public TopicsFileCatalog(string path)
    {
        All = Read(path);
        _byId = All.ToDictionary(t => t.Id, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<Topic> All { get; }

    public Topic? Find(string id) => _byId.GetValueOrDefault(id);

    private static IReadOnlyList<Topic> Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"Topics:File {path} does not exist.");
        Topic[] topics;
        try
        {
            topics = JsonSerializer.Deserialize<Topic[]>(File.ReadAllText(path), JsonOptions) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Topics:File {path} is not valid at line {(ex.LineNumber ?? 0) + 1}: {ex.Message.Split(" Path:")[0]}", ex);
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var topic in topics)
        {
            if (string.IsNullOrWhiteSpace(topic.Id) || topic.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
                throw new InvalidOperationException($"Topics:File {path}: topic id \"{topic.Id}\" must be letters, digits and hyphens.");
            if (!seen.Add(topic.Id)) throw new InvalidOperationException($"Topics:File {path}: topic id \"{topic.Id}\" appears twice.");
            if (topic.Keywords.Count == 0) throw new InvalidOperationException($"Topics:File {path}: topic \"{topic.Id}\" has no keywords.");
        }
        return topics;
    }
}
