using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// <c>rank --profiles</c>' lines, <c>{"id", "results": [...]}</c>, written as bytes from pieces encoded once: each
/// paper's <c>{"id", "title"</c>, each keyword's quoted text, each explanation (<c>{"keyword", "title", "abstract",
/// "via", "partly"}</c>) per keyword, place and form. A run of many profiles prints the same few hundred papers and a few
/// thousand explanations again and again, and a <see cref="Utf8JsonWriter"/> escaped and transcoded every one of them
/// again: writing was the largest share of the command's time. Every piece is made by a <see cref="Utf8JsonWriter"/>
/// with the CLI's options (<see cref="RankedPapersJson"/>), so the lines are byte for byte what it writes.
/// </summary>
/// <remarks>
/// The remembered pieces are found by the identity of the strings they were made from, not by their text: a keyword's
/// text is one string instance for every profile that names it (profile terms are shared, see the ranker's profile
/// parser), so looking it up costs a pointer's hash where hashing its text cost more than writing it. A string with
/// the same text but another identity only makes a second entry with the same bytes.
/// </remarks>
internal sealed class ResultLines
{
    /// <summary>Beyond this many remembered keywords or explanations per thread, the memory starts over.</summary>
    private const int MaxRemembered = 50_000;

    [ThreadStatic] private static Dictionary<string, byte[]>? _keywords;
    [ThreadStatic] private static Dictionary<Explanation, byte[]>? _explanations;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _scratch;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    /// <summary>Each paper's <c>{"id", "title"</c>, by its position in the index.</summary>
    private readonly byte[][] _papers;

    public ResultLines(PaperIndex index)
    {
        _papers = index.Papers.Select(indexed => Encode(indexed.Paper, static (writer, paper) =>
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, paper.Id);
            writer.WriteString("title"u8, paper.Title);
        })).ToArray();
    }

    /// <summary>Appends the start of one profile's line, <c>{"id": …</c>, to <paramref name="output"/>.</summary>
    public static void WriteId(ArrayBufferWriter<byte> output, string id)
    {
        Append(output, "{\"id\":"u8);
        AppendQuoted(output, id);
    }

    [ThreadStatic] private static ProfileMatch[]? _found;

    /// <summary>
    /// Appends the rest of the line, <c>, "results": […]}</c> (without the line break), to <paramref name="output"/>:
    /// the same bytes for every profile that ranks alike, whatever its id. Read from the ranker's selection, lexical or
    /// blended, so that no result records are made for bytes written once.
    /// </summary>
    public void WriteResults(ArrayBufferWriter<byte> output, RankedSelection selection)
    {
        var found = _found is { } f && f.Length >= selection.KeywordCount ? f : _found = new ProfileMatch[Math.Max(8, selection.KeywordCount)];
        Append(output, ",\"results\":["u8);
        for (var i = 0; i < selection.Count; i++)
        {
            if (i > 0) Append(output, ","u8);
            Append(output, _papers[selection.PaperAt(i)]);
            Append(output, ",\"score\":"u8);
            AppendNumber(output, selection.Score(i));
            Append(output, ",\"relevance\":"u8);
            AppendNumber(output, selection.Relevance(i));
            Append(output, ",\"matched\":["u8);
            var matches = found.AsSpan(0, selection.Matches(i, found, out var whole));
            var named = 0;
            foreach (var match in matches)
            {
                if (!match.IsWhole) continue;
                if (named++ > 0) Append(output, ","u8);
                Append(output, QuotedKeyword(match.Keyword));
            }
            Append(output, "],\"partly\":["u8);
            if (whole < matches.Length) WritePartly(output, matches);
            Append(output, "]"u8);
            if (selection.ByMeaning(i))
            {
                Append(output, ",\"similar_to\":"u8);
                Append(output, QuotedKeyword(selection.SimilarInMeaning(i).SimilarTo));
            }
            Append(output, ",\"where\":["u8);
            for (var m = 0; m < matches.Length; m++)
            {
                if (m > 0) Append(output, ","u8);
                Append(output, ExplanationOf(matches[m]));
            }
            Append(output, "]}"u8);
        }
        Append(output, "]}"u8);
    }

    /// <summary>The words of each partial match, repeats left out, as <see cref="RankedPaper.Partly"/> has them.</summary>
    private static void WritePartly(ArrayBufferWriter<byte> output, ReadOnlySpan<ProfileMatch> matches)
    {
        for (var m = 0; m < matches.Length; m++)
        {
            if (matches[m].IsWhole) continue;
            var words = matches[m].PartWords;
            var repeated = false;
            for (var before = 0; before < m && !repeated; before++) repeated = !matches[before].IsWhole && matches[before].PartWords == words;
            if (repeated) continue;
            if (output.WrittenSpan[^1] != (byte)'[') Append(output, ","u8);
            Append(output, QuotedKeyword(words));
        }
    }

    /// <summary>An explanation's fields; equal when they are the same instances (see the remarks).</summary>
    private readonly record struct Explanation(string Keyword, string? Via, bool InTitle, bool InAbstract, string? PartWords);

    private sealed class SameInstances : IEqualityComparer<Explanation>
    {
        public static readonly SameInstances Comparer = new();

        public bool Equals(Explanation x, Explanation y) =>
            ReferenceEquals(x.Keyword, y.Keyword) && ReferenceEquals(x.Via, y.Via) && x.InTitle == y.InTitle && x.InAbstract == y.InAbstract
            && ReferenceEquals(x.PartWords, y.PartWords);

        public int GetHashCode(Explanation e) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(e.Keyword), RuntimeHelpers.GetHashCode(e.Via), e.InTitle, e.InAbstract, RuntimeHelpers.GetHashCode(e.PartWords));
    }

    private static byte[] QuotedKeyword(string keyword)
    {
        var known = _keywords ??= new Dictionary<string, byte[]>(ReferenceEqualityComparer.Instance);
        if (known.TryGetValue(keyword, out var bytes)) return bytes;
        if (known.Count >= MaxRemembered) known.Clear();
        return known[keyword] = Encode(keyword, static (writer, keyword) => writer.WriteStringValue(keyword));
    }

    private static byte[] ExplanationOf(ProfileMatch found)
    {
        var known = _explanations ??= new Dictionary<Explanation, byte[]>(SameInstances.Comparer);
        var match = found.Match;
        var key = new Explanation(found.Keyword, match.Via, match.InTitle, match.InAbstract, found.IsWhole ? null : found.PartWords);
        if (known.TryGetValue(key, out var bytes)) return bytes;
        if (known.Count >= MaxRemembered) known.Clear();
        return known[key] = Encode(key, static (writer, e) => RankedPapersJson.WriteWhere(writer, e.Keyword, e.InTitle, e.InAbstract, e.Via, e.PartWords));
    }

    /// <summary>Printable ASCII but the quote and the backslash: the characters the CLI's escaping leaves as they are.</summary>
    private static readonly SearchValues<char> Unescaped =
        SearchValues.Create(string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not ('"' or '\\'))));

    /// <summary>
    /// A profile's id as a JSON string. Ids are seldom anything but printable ASCII, which needs no escaping and is its
    /// own UTF-8, so it is copied between quotes directly; any other id goes through the writer.
    /// </summary>
    internal static void AppendQuoted(ArrayBufferWriter<byte> output, string text)
    {
        if (text.AsSpan().ContainsAnyExcept(Unescaped))
        {
            Append(output, Written(text, static (writer, text) => writer.WriteStringValue(text)));
            return;
        }
        var span = output.GetSpan(text.Length + 2);
        span[0] = (byte)'"';
        Encoding.ASCII.GetBytes(text, span[1..]);
        span[text.Length + 1] = (byte)'"';
        output.Advance(text.Length + 2);
    }

    /// <summary>
    /// A score as <see cref="Utf8JsonWriter"/> writes it (the shortest text that reads back as the same number). Scores
    /// are rounded to 4 decimals, and for such a number below a billion that text is its decimal digits without
    /// trailing zeros; written here directly, as formatting a double in general was a visible share of the time. Any
    /// other number goes through the writer.
    /// </summary>
    internal static void AppendNumber(ArrayBufferWriter<byte> output, double value)
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
        Append(output, Written(value, static (writer, value) => writer.WriteNumberValue(value)));
    }

    private static void Append(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static byte[] Encode<T>(T value, Action<Utf8JsonWriter, T> write) => Written(value, write).ToArray();

    /// <summary>What <paramref name="write"/> writes, valid until the next call on this thread.</summary>
    private static ReadOnlySpan<byte> Written<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var scratch = _scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(scratch, RankedPapersJson.WriterOptions(indented: false));
        writer.Reset(scratch);
        write(writer, value);
        writer.Flush();
        return scratch.WrittenSpan;
    }
}
