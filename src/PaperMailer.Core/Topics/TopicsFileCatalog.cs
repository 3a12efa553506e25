using System.Text.Json;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Topics;

/// <summary>
/// Topics read from the topics file: a JSON array of {"id", "name", "description", "keywords": [], "context": [],
/// "exclude": []}. Read once at start; a broken file stops the program with the file, the topic and the reason.
/// </summary>
public sealed class TopicsFileCatalog : ITopicCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The fields a topic may have: a misspelt one ("keyword", "contxt") would otherwise be ignored without a word.</summary>
    private static readonly string[] Fields = ["id", "name", "description", "keywords", "context", "exclude"];

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
        var topics = new List<Topic>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidOperationException($"Topics:File {path} must hold a JSON array of topics.");
            var number = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                number++;
                var named = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    ? $"topic \"{id.GetString()}\"" : $"topic {number}";
                if (element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !Fields.Contains(name, StringComparer.OrdinalIgnoreCase)) is { } unknown)
                    throw new InvalidOperationException($"Topics:File {path}: {named} has an unknown field \"{unknown}\" (known: {string.Join(", ", Fields)}).");
                try
                {
                    topics.Add(element.Deserialize<Topic>(JsonOptions) ?? throw new JsonException("a topic is null"));
                }
                catch (JsonException ex)
                {
                    throw new InvalidOperationException($"Topics:File {path}: {named} is not valid: {ex.Message.Split(" Path:")[0]}", ex);
                }
            }
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
            if (topic.Keywords.Concat(topic.Context).FirstOrDefault(term => ProfileParser.KeyOf(term) is null) is { } empty)
                throw new InvalidOperationException($"Topics:File {path}: topic \"{topic.Id}\" lists \"{empty}\", which has no searchable words (only very common words such as \"the\" or \"of\").");
            if (BothKeywordAndContext(topic) is { } both)
            {
                throw new InvalidOperationException(
                    $"Topics:File {path}: topic \"{topic.Id}\" lists \"{both}\" both as a keyword and as context; a term either admits papers (keywords) or only raises admitted ones (context).");
            }
        }
        return topics;
    }

    /// <summary>A context word that is also a keyword, compared as the ranker reads them (so "Control" and "control" are one).</summary>
    private static string? BothKeywordAndContext(Topic topic)
    {
        var keys = topic.Keywords.Select(ProfileParser.KeyOf).Where(k => k is not null).ToHashSet(StringComparer.Ordinal);
        return topic.Context.FirstOrDefault(word => ProfileParser.KeyOf(word) is { } key && keys.Contains(key));
    }
}
