using System.Text.Encodings.Web;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// How <c>rank</c> prints ranked papers as JSON: <c>"results": [{"id", "title", "score", "relevance", "matched",
/// "partly", "similar_to", "where": [{"keyword", "title", "abstract", "via", "partly"}]}]</c>: "matched" the keywords
/// the paper contains whole, "partly" the words it contains of keywords it matches in part, "similar_to" (only for a
/// paper admitted on meaning alone) the keyword it is closest to; in "where", "via" only where a paper used another
/// form of the keyword, "partly" only for a partial match.
/// Written with a <see cref="Utf8JsonWriter"/> straight to bytes; the escaping is the CLI's (<see cref="CliJson"/>).
/// Each paper's id and title are escaped once, when the papers are known. <c>rank --profiles</c> writes the same
/// shape with <see cref="ResultLines"/>, from pieces written with these <see cref="WriterOptions"/>.
/// </summary>
internal sealed class RankedPapersJson
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private readonly Dictionary<Paper, (JsonEncodedText Id, JsonEncodedText Title)> _papers = new(ReferenceEqualityComparer.Instance);

    public RankedPapersJson(PaperIndex index)
    {
        foreach (var indexed in index.Papers)
        {
            _papers[indexed.Paper] = (JsonEncodedText.Encode(indexed.Paper.Id, Encoder), JsonEncodedText.Encode(indexed.Paper.Title, Encoder));
        }
    }

    public static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Encoder = Encoder,
        Indented = indented,
        // Every line is one top-level value written by the code below; checking its nesting would only cost time.
        SkipValidation = !indented,
    };

    /// <summary>The <c>"results"</c> property.</summary>
    public void WriteResults(Utf8JsonWriter writer, IReadOnlyList<RankedPaper> ranked)
    {
        writer.WriteStartArray("results"u8);
        foreach (var r in ranked)
        {
            var (id, title) = _papers[r.Paper];
            writer.WriteStartObject();
            writer.WriteString("id"u8, id);
            writer.WriteString("title"u8, title);
            writer.WriteNumber("score"u8, r.Score);
            writer.WriteNumber("relevance"u8, r.Relevance);
            writer.WriteStartArray("matched"u8);
            foreach (var keyword in r.Matched) writer.WriteStringValue(keyword);
            writer.WriteEndArray();
            writer.WriteStartArray("partly"u8);
            foreach (var words in r.Partly) writer.WriteStringValue(words);
            writer.WriteEndArray();
            if (r.SimilarTo is { } similar) writer.WriteString("similar_to"u8, similar);
            writer.WriteStartArray("where"u8);
            foreach (var m in r.Matches) WriteWhere(writer, m.Keyword, m.InTitle, m.InAbstract, m.Via, m.PartWords);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>One entry of <c>"where"</c>: the keyword, whether the title and the abstract hold it, the other form
    /// of it the paper used, if any, and for a partial match the keyword's words the paper has. Shared with
    /// <see cref="ResultLines"/>, which encodes each entry once.</summary>
    public static void WriteWhere(Utf8JsonWriter writer, string keyword, bool inTitle, bool inAbstract, string? via, string? partly)
    {
        writer.WriteStartObject();
        writer.WriteString("keyword"u8, keyword);
        writer.WriteBoolean("title"u8, inTitle);
        writer.WriteBoolean("abstract"u8, inAbstract);
        if (via is not null) writer.WriteString("via"u8, via);
        if (partly is not null) writer.WriteString("partly"u8, partly);
        writer.WriteEndObject();
    }
}
