using System.Globalization;
using System.Text.Json;
using PaperMailer.Domain;

namespace PaperMailer.Collect;

/// <summary>
/// Reads a papers file: either the Hugging Face <c>/api/daily_papers</c> response (an array of
/// <c>{"paper": {...}, "numComments": …}</c>), or a plain array of <c>{"id", "title", "abstract"}</c> objects.
/// Every problem is reported with the file and the JSON position, and nothing is returned from a bad file.
/// </summary>
public static class PaperFileReader
{
    public static async Task<IReadOnlyList<Paper>> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new PaperFormatException($"Papers file {path} does not exist.");
        }
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return Read(bytes, path);
    }

    public static IReadOnlyList<Paper> Read(ReadOnlySpan<byte> json, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            throw new PaperFormatException(
                $"{origin}: not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} of that line: {FirstSentence(ex.Message)}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new PaperFormatException($"{origin}: expected a JSON array of papers at the top level, found {document.RootElement.ValueKind}.");
            }
            var papers = new List<Paper>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var paper = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("paper", out var inner)
                    ? ReadDailyPapersItem(item, inner, origin, index)
                    : ReadPlainItem(item, origin, index);
                // The same id twice in one payload is one paper; the later entry wins, as a newer listing would.
                if (!seen.Add(paper.Id))
                {
                    papers.RemoveAll(p => p.Id == paper.Id);
                }
                papers.Add(paper);
                index++;
            }
            return papers;
        }
    }

    private static Paper ReadDailyPapersItem(JsonElement item, JsonElement paper, string origin, int index)
    {
        var where = $"{origin}: item {index}";
        if (paper.ValueKind != JsonValueKind.Object)
        {
            throw new PaperFormatException($"{where}: \"paper\" must be an object.");
        }
        var rawId = RequiredString(paper, "id", where + ".paper");
        var id = ArxivId.Normalize(rawId) ?? throw new PaperFormatException($"{where}.paper.id: \"{rawId}\" is not an arXiv identifier.");
        return new Paper
        {
            Id = id,
            Title = Collapse(RequiredString(paper, "title", where + ".paper")),
            Abstract = Collapse(OptionalString(paper, "summary", where + ".paper") ?? ""),
            Authors = paper.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array
                ? authors.EnumerateArray()
                    .Where(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                    .Select(a => Collapse(a.GetProperty("name").GetString()!))
                    .Where(name => name.Length > 0)
                    .ToList()
                : [],
            PublishedAt = OptionalTime(paper, "publishedAt", where + ".paper"),
            Source = PaperSources.HuggingFace,
            Upvotes = OptionalInt(paper, "upvotes", where + ".paper"),
            Comments = OptionalInt(item, "numComments", where),
            AiSummary = OptionalString(paper, "ai_summary", where + ".paper"),
            AiKeywords = paper.TryGetProperty("ai_keywords", out var keywords) && keywords.ValueKind == JsonValueKind.Array
                ? keywords.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.String).Select(k => k.GetString()!).ToList()
                : [],
            SubmittedOnDailyAt = OptionalTime(paper, "submittedOnDailyAt", where + ".paper"),
            GithubRepo = OptionalString(paper, "githubRepo", where + ".paper"),
            GithubStars = OptionalInt(paper, "githubStars", where + ".paper"),
            ProjectPage = OptionalString(paper, "projectPage", where + ".paper"),
        };
    }

    private static Paper ReadPlainItem(JsonElement item, string origin, int index)
    {
        var where = $"{origin}: item {index}";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new PaperFormatException($"{where}: expected an object with \"id\", \"title\" and \"abstract\", found {item.ValueKind}.");
        }
        var rawId = RequiredString(item, "id", where);
        return new Paper
        {
            Id = ArxivId.Normalize(rawId) ?? throw new PaperFormatException($"{where}.id: \"{rawId}\" is not an arXiv identifier."),
            Title = Collapse(RequiredString(item, "title", where)),
            Abstract = Collapse(OptionalString(item, "abstract", where) ?? OptionalString(item, "summary", where) ?? ""),
            Source = "file",
        };
    }

    private static string RequiredString(JsonElement element, string name, string where) =>
        OptionalString(element, name, where) is { Length: > 0 } value
            ? value
            : throw new PaperFormatException($"{where}.{name}: required text is missing or empty.");

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new PaperFormatException($"{where}.{name}: expected text, found {value.ValueKind}.");
    }

    private static int? OptionalInt(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new PaperFormatException($"{where}.{name}: expected a whole number, found {value.ValueKind}.");
    }

    private static DateTimeOffset? OptionalTime(JsonElement element, string name, string where)
    {
        var text = OptionalString(element, name, where);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new PaperFormatException($"{where}.{name}: \"{text}\" is not a date and time.");
    }

    /// <summary>Feeds wrap titles and abstracts at arbitrary points; one space is what a reader should see.</summary>
    public static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
