using System.Buffers;
using System.Text;
using System.Text.Json;
using PaperMailer.Cli.Ranking;

namespace PaperMailer.Tests.Cli;

/// <summary>
/// The numbers and the ids of <c>rank --profiles</c>' lines are written without <see cref="Utf8JsonWriter"/> when they
/// can be (for speed); they must read exactly as the writer writes them, for scores as the ranker rounds them and for
/// any other number, for plain ids and for any other text.
/// </summary>
public class RankResultLinesTests
{
    private static string Text(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string ByTheWriter(Action<Utf8JsonWriter> write) => Text(output =>
    {
        using var writer = new Utf8JsonWriter(output, RankedPapersJson.WriterOptions(indented: false));
        write(writer);
    });

    private static string Written(double value) => Text(output => ResultLines.AppendNumber(output, value));

    private static string ByTheWriter(double value) => ByTheWriter(writer => writer.WriteNumberValue(value));

    private static string Quoted(string text) => Text(output => ResultLines.AppendQuoted(output, text));

    private static string QuotedByTheWriter(string text) => ByTheWriter(writer => writer.WriteStringValue(text));

    [Fact]
    public void An_id_of_any_character_reads_as_the_json_writer_writes_it()
    {
        // Every character of the first plane one by one (the plain-ASCII shortcut must leave exactly what the writer
        // leaves), then ids mixing them.
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (char.IsSurrogate((char)c)) continue; // not text on its own
            var text = $"id-{(char)c}-x";
            Assert.Equal(QuotedByTheWriter(text), Quoted(text));
        }
        foreach (var text in new[] { "", "p1", "a \"quoted\" \\ id", "café", "emoji 🤖", "tab\there", "<b>&amp;</b>", "\u2028" })
        {
            Assert.Equal(QuotedByTheWriter(text), Quoted(text));
        }
    }

    [Theory]
    [InlineData(0.0001)]
    [InlineData(0.001)]
    [InlineData(0.05)]
    [InlineData(1)]
    [InlineData(10.896)]
    [InlineData(12.5203)]
    [InlineData(999_999_999.9999)]
    [InlineData(1e9)]
    [InlineData(1e15)]
    [InlineData(1e21)]
    [InlineData(0)]
    [InlineData(-0.0)]
    [InlineData(-3.25)]
    [InlineData(0.00001)]
    [InlineData(1.0 / 3)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    public void A_number_reads_as_the_json_writer_writes_it(double value) =>
        Assert.Equal(ByTheWriter(value), Written(value));

    [Fact]
    public void Scores_rounded_as_the_ranker_rounds_them_read_as_the_json_writer_writes_them()
    {
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            // Scores span tiny to large magnitudes; the ranker rounds them to 4 decimals.
            var raw = Math.Pow(10, random.NextDouble() * 12 - 4) * random.NextDouble();
            var score = Math.Round(raw, 4);
            Assert.Equal(ByTheWriter(score), Written(score));
            Assert.Equal(ByTheWriter(raw), Written(raw));
        }
    }
}
