using System.Buffers;
using System.Globalization;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// <c>rank --profiles</c>' lines, <c>{"id", "results": [...]}</c>, written as bytes from pieces encoded once: each
/// paper's <c>{"id", "title"</c>, each keyword's quoted text, each explanation (<c>{"keyword", "title", "abstract",
/// "via"}</c>) per keyword, place and form. A run of many profiles prints the same few hundred papers and a few
/// thousand explanations again and again, and a <see cref="Utf8JsonWriter"/> escaped and transcoded every one of them
/// again: writing was the largest share of the command's time. Every piece is made by a <see cref="Utf8JsonWriter"/>
/// with the CLI's options (<see cref="RankedPapersJson"/>), so the lines are byte for byte what it writes.
/// </summary>
internal sealed class ResultLines
{
    /// <summary>Beyond this many remembered keywords or explanations per thread, the memory starts over.</summary>
    private const int MaxRemembered = 50_000;

    [ThreadStatic] private static Dictionary<string, byte[]>? _keywords;
    [ThreadStatic] private static Dictionary<Explanation, byte[]>? _explanations;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _scratch;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    private readonly Dictionary<Paper, byte[]> _papers = new(ReferenceEqualityComparer.Instance);

    public ResultLines(PaperIndex index)
    {
        foreach (var indexed in index.Papers)
        {
            _papers[indexed.Paper] = Encode(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, indexed.Paper.Id);
                writer.WriteString("title"u8, indexed.Paper.Title);
            });
        }
    }

    /// <summary>Appends one profile's line (without the line break) to <paramref name="output"/>.</summary>
    public void Write(IBufferWriter<byte> output, string id, IReadOnlyList<RankedPaper> ranked)
    {
        Append(output, "{\"id\":"u8);
        Append(output, Written(writer => writer.WriteStringValue(id)));
        Append(output, ",\"results\":["u8);
        for (var i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            if (i > 0) Append(output, ","u8);
            Append(output, _papers[r.Paper]);
            Append(output, ",\"score\":"u8);
            AppendNumber(output, r.Score);
            Append(output, ",\"relevance\":"u8);
            AppendNumber(output, r.Relevance);
            Append(output, ",\"matched\":["u8);
            for (var k = 0; k < r.Matched.Count; k++)
            {
                if (k > 0) Append(output, ","u8);
                Append(output, QuotedKeyword(r.Matched[k]));
            }
            Append(output, "],\"where\":["u8);
            for (var m = 0; m < r.Matches.Count; m++)
            {
                if (m > 0) Append(output, ","u8);
                Append(output, ExplanationOf(r.Matches[m]));
            }
            Append(output, "]}"u8);
        }
        Append(output, "]}"u8);
    }

    private readonly record struct Explanation(string Keyword, string? Via, bool InTitle, bool InAbstract);

    private static byte[] QuotedKeyword(string keyword)
    {
        var known = _keywords ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (known.TryGetValue(keyword, out var bytes)) return bytes;
        if (known.Count >= MaxRemembered) known.Clear();
        return known[keyword] = Encode(writer => writer.WriteStringValue(keyword));
    }

    private static byte[] ExplanationOf(KeywordMatch match)
    {
        var known = _explanations ??= [];
        var key = new Explanation(match.Keyword, match.Via, match.InTitle, match.InAbstract);
        if (known.TryGetValue(key, out var bytes)) return bytes;
        if (known.Count >= MaxRemembered) known.Clear();
        return known[key] = Encode(writer => RankedPapersJson.WriteWhere(writer, match));
    }

    /// <summary>
    /// A score as <see cref="Utf8JsonWriter"/> writes it (the shortest text that reads back as the same number). Scores
    /// are rounded to 4 decimals, and for such a number below a billion that text is its decimal digits without
    /// trailing zeros; written here directly, as formatting a double in general was a visible share of the time. Any
    /// other number goes through the writer.
    /// </summary>
    internal static void AppendNumber(IBufferWriter<byte> output, double value)
    {
        if (value is > 0 and < 1e9)
        {
            var scaled = (long)Math.Round(value * 10_000);
            if (scaled / 10_000.0 == value)
            {
                var span = output.GetSpan(24);
                var whole = scaled / 10_000;
                var fraction = (int)(scaled % 10_000);
                ((ulong)whole).TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
                if (fraction != 0)
                {
                    span[written++] = (byte)'.';
                    var divisor = 1000;
                    while (fraction != 0)
                    {
                        span[written++] = (byte)('0' + fraction / divisor);
                        fraction %= divisor;
                        divisor /= 10;
                    }
                }
                output.Advance(written);
                return;
            }
        }
        Append(output, Written(writer => writer.WriteNumberValue(value)));
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static byte[] Encode(Action<Utf8JsonWriter> write) => Written(write).ToArray();

    /// <summary>What <paramref name="write"/> writes, valid until the next call on this thread.</summary>
    private static ReadOnlySpan<byte> Written(Action<Utf8JsonWriter> write)
    {
        var scratch = _scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(scratch, RankedPapersJson.WriterOptions(indented: false));
        writer.Reset(scratch);
        write(writer);
        writer.Flush();
        return scratch.WrittenSpan;
    }
}
