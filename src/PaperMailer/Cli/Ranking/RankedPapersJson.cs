using System.Text.Encodings.Web;
using System.Text.Json;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// How <c>rank</c> prints ranked papers as JSON: <c>"results": [{"id", "title", "score", "relevance", "matched",
/// "where": [{"keyword", "title", "abstract", "via"}]}]</c>, "via" only where a paper used another form of the keyword.
/// Written with a <see cref="Utf8JsonWriter"/> straight to bytes; the escaping is the CLI's (<see cref="CliJson"/>).
/// </summary>
internal static class RankedPapersJson
{
    public static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = indented,
        // Every line is one top-level value written by the code below; checking its nesting would only cost time.
        SkipValidation = !indented,
    };

    /// <summary>One profile's line: <c>{"id", "results": [...]}</c>.</summary>
    public static void WriteProfile(Utf8JsonWriter writer, string id, IReadOnlyList<RankedPaper> ranked)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        WriteResults(writer, ranked);
        writer.WriteEndObject();
    }

    /// <summary>The <c>"results"</c> property.</summary>
    public static void WriteResults(Utf8JsonWriter writer, IReadOnlyList<RankedPaper> ranked)
    {
        writer.WriteStartArray("results"u8);
        foreach (var r in ranked)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, r.Paper.Id);
            writer.WriteString("title"u8, r.Paper.Title);
            writer.WriteNumber("score"u8, r.Score);
            writer.WriteNumber("relevance"u8, r.Relevance);
            writer.WriteStartArray("matched"u8);
            foreach (var keyword in r.Matched) writer.WriteStringValue(keyword);
            writer.WriteEndArray();
            writer.WriteStartArray("where"u8);
            foreach (var m in r.Matches)
            {
                writer.WriteStartObject();
                writer.WriteString("keyword"u8, m.Keyword);
                writer.WriteBoolean("title"u8, m.InTitle);
                writer.WriteBoolean("abstract"u8, m.InAbstract);
                if (m.Via is not null) writer.WriteString("via"u8, m.Via);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
