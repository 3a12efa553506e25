using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using PaperMailer.Domain;

namespace PaperMailer.Collect.Sources;

/// <summary>
/// Reads arXiv's Atom documents: API query results (<c>export.arxiv.org/api/query</c>) and the announcement feed
/// (<c>rss.arxiv.org/atom/…</c>). Both carry <c>entry</c> elements with an id naming the version, title, summary,
/// categories and dates; they differ in how authors, the primary category and the announcement type are given.
/// Problems are reported with the origin (source and URL) and the line of the offending element.
/// </summary>
public static class ArxivAtomReader
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";
    private static readonly XNamespace OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";
    private static readonly XNamespace DublinCore = "http://purl.org/dc/elements/1.1/";

    public static ArxivAtomDocument Read(byte[] xml, string origin)
    {
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(xml), settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new PaperFormatException($"{origin}: not well-formed XML at line {ex.LineNumber}, column {ex.LinePosition}: {ex.Message.Split(" Line ")[0].TrimEnd('.')}.", ex);
        }
        var feed = document.Root;
        if (feed is null || feed.Name != Atom + "feed")
        {
            throw new PaperFormatException($"{origin}: expected an Atom <feed> document, found <{feed?.Name.LocalName}>.");
        }
        var entries = feed.Elements(Atom + "entry").Select((entry, index) => ReadEntry(entry, index, origin)).ToList();
        return new ArxivAtomDocument(
            entries,
            int.TryParse(feed.Element(OpenSearch + "totalResults")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var total) ? total : null,
            feed.Element(Atom + "updated")?.Value.Trim());
    }

    private static ArxivEntry ReadEntry(XElement entry, int index, string origin)
    {
        var where = $"{origin}: entry {index + 1} (line {((IXmlLineInfo)entry).LineNumber})";
        var rawId = Required(entry, Atom + "id", where);
        // The API answers a bad query with a single entry whose id points at its error documentation.
        if (rawId.Contains("/api/errors", StringComparison.Ordinal))
        {
            throw new PaperFormatException($"{where}: arXiv reported an error: {PaperFileReader.Collapse(entry.Element(Atom + "summary")?.Value ?? rawId)}.");
        }
        var idText = IdPart(rawId);
        var (id, version) = ArxivId.Parse(idText) ?? throw new PaperFormatException($"{where}: <id> \"{rawId}\" does not name an arXiv paper.");
        var categories = entry.Elements(Atom + "category").Select(c => (string?)c.Attribute("term")).OfType<string>().Where(t => t.Length > 0).Distinct().ToList();
        var links = entry.Elements(Atom + "link").ToList();
        return new ArxivEntry(
            new Paper
            {
                Id = id,
                Version = version,
                Title = PaperFileReader.Collapse(Required(entry, Atom + "title", where)),
                Abstract = AbstractOf(entry.Element(Atom + "summary")?.Value ?? ""),
                Authors = AuthorsOf(entry),
                Categories = categories,
                // The feed names no primary category; it lists it first.
                PrimaryCategory = (string?)entry.Element(Arxiv + "primary_category")?.Attribute("term") ?? categories.FirstOrDefault(),
                PublishedAt = Time(entry, Atom + "published", where),
                RevisedAt = Time(entry, Atom + "updated", where),
                AbstractLink = (string?)links.FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate")?.Attribute("href"),
                PdfLink = (string?)links.FirstOrDefault(l => (string?)l.Attribute("rel") == "related" && (string?)l.Attribute("title") == "pdf")?.Attribute("href"),
                Source = PaperSources.Arxiv,
            },
            entry.Element(Arxiv + "announce_type")?.Value.Trim());
    }

    /// <summary>The API's ids are abstract URLs ("http://arxiv.org/abs/2606.13677v1"), the feed's OAI ids ("oai:arXiv.org:2508.13167v1").</summary>
    private static string IdPart(string rawId)
    {
        foreach (var marker in (string[])["/abs/", "arXiv.org:"])
        {
            var at = rawId.LastIndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) return rawId[(at + marker.Length)..].Trim();
        }
        return rawId.Trim();
    }

    /// <summary>The feed's summary starts "arXiv:2508.13167v1 Announce Type: new Abstract: …"; the API's is the abstract itself.</summary>
    private static string AbstractOf(string summary)
    {
        var text = PaperFileReader.Collapse(summary);
        var marker = text.IndexOf("Abstract: ", StringComparison.Ordinal);
        return text.StartsWith("arXiv:", StringComparison.Ordinal) && marker >= 0 ? text[(marker + "Abstract: ".Length)..] : text;
    }

    private static List<string> AuthorsOf(XElement entry)
    {
        var names = entry.Elements(Atom + "author").Select(a => PaperFileReader.Collapse(a.Element(Atom + "name")?.Value ?? "")).ToList();
        if (names.Count == 0 && entry.Element(DublinCore + "creator")?.Value is { } creators)
        {
            names = creators.Split(',').Select(n => PaperFileReader.Collapse(n)).Select(n => n.StartsWith("and ", StringComparison.Ordinal) ? n[4..] : n).ToList();
        }
        return names.Where(n => n.Length > 0).ToList();
    }

    private static string Required(XElement entry, XName name, string where) =>
        entry.Element(name)?.Value is { } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new PaperFormatException($"{where}: <{name.LocalName}> is missing or empty.");

    private static DateTimeOffset? Time(XElement entry, XName name, string where)
    {
        var text = entry.Element(name)?.Value.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new PaperFormatException($"{where}: <{name.LocalName}> \"{text}\" is not a date and time.");
    }
}

public sealed record ArxivAtomDocument(IReadOnlyList<ArxivEntry> Entries, int? TotalResults, string? Updated);

/// <param name="AnnounceType">The feed's "new", "cross", "replace" or "replace-cross"; null from the API.</param>
public sealed record ArxivEntry(Paper Paper, string? AnnounceType);
