using System.Text;
using PaperMailer.Deliver.Smtp;

namespace PaperMailer.Tests.Deliver.Smtp;

/// <summary>
/// DATA content as it leaves the wire writer: every line starting with "." gets one more (RFC 5321 4.5.2), nothing
/// else changes, and the content always ends with CRLF "." CRLF.
/// </summary>
public class SmtpWireDotStuffingTests
{
    private const int OutputBufferSize = 32 * 1024;

    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData("a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n")]
    [InlineData("a\r\n..\r\nb\r\n", "a\r\n...\r\nb\r\n.\r\n")]
    [InlineData(".\r\n", "..\r\n.\r\n")]
    [InlineData(".", "..\r\n.\r\n")]
    [InlineData("..", "...\r\n.\r\n")]
    [InlineData(".start\r\nmid.dle\r\n.end", "..start\r\nmid.dle\r\n..end\r\n.\r\n")]
    [InlineData("no final line break", "no final line break\r\n.\r\n")]
    [InlineData("a.\r\n. .\r\n", "a.\r\n.. .\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    public async Task Lines_starting_with_a_dot_get_a_second_one(string content, string expected)
    {
        Assert.Equal(expected, await WireBytesAsync(content));
    }

    [Fact]
    public async Task A_lone_dot_line_never_reaches_the_server_before_the_end_of_the_content()
    {
        string content = "Papers\r\n.\r\n\r\n.\r\n..\r\nend\r\n";

        string wire = await WireBytesAsync(content);

        int end = wire.IndexOf("\r\n.\r\n", StringComparison.Ordinal);
        Assert.Equal(wire.Length - 5, end);
        Assert.Equal(content, Unstuff(wire));
    }

    [Fact]
    public async Task Dot_lines_at_and_around_the_output_buffers_size_are_stuffed_exactly_once()
    {
        // A line that starts with "." placed so that the stuffed dot, the line or its CRLF falls on every position
        // around the writer's initial buffer size and twice that, where the buffer grows.
        foreach (int boundary in new[] { OutputBufferSize, 2 * OutputBufferSize })
        {
            for (int shift = -4; shift <= 4; shift++)
            {
                int fill = boundary + shift;
                string content = new string('x', fill - 2) + "\r\n" + ".\r\n..x\r\n" + new string('y', 10) + "\r\n.";

                string wire = await WireBytesAsync(content);

                Assert.Equal(Reference(content), wire);
                Assert.Equal(content + "\r\n", Unstuff(wire));
            }
        }
    }

    [Fact]
    public async Task Many_dot_lines_in_a_large_message_round_trip()
    {
        var builder = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            builder.Append((i % 3) switch { 0 => ".", 1 => "..", _ => "line " + i }).Append("\r\n");
        }

        string content = builder.ToString();

        string wire = await WireBytesAsync(content);

        Assert.Equal(Reference(content), wire);
        Assert.Equal(content, Unstuff(wire));
    }

    private static async Task<string> WireBytesAsync(string content)
    {
        using var stream = new MemoryStream();
        var wire = new SmtpWire(stream);
        wire.WriteDotStuffed(Encoding.ASCII.GetBytes(content));
        await wire.FlushAsync(CancellationToken.None);
        return Encoding.ASCII.GetString(stream.ToArray());
    }

    // The rule written out the plain way, line by line, independently of the writer's span walking.
    private static string Reference(string content)
    {
        string[] lines = content.Split("\r\n");
        bool endsWithBreak = content.EndsWith("\r\n", StringComparison.Ordinal);
        IEnumerable<string> body = endsWithBreak ? lines[..^1] : lines;
        return string.Concat(body.Select(line => (line.StartsWith('.') ? "." + line : line) + "\r\n")) + ".\r\n";
    }

    // What a receiver does (RFC 5321 4.5.2): stop at the lone dot, drop one leading dot from every other line.
    private static string Unstuff(string wire)
    {
        var output = new StringBuilder();
        foreach (string line in wire.Split("\r\n"))
        {
            if (line == ".")
            {
                return output.ToString();
            }

            output.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        throw new InvalidOperationException("the wire bytes have no end-of-data line");
    }
}
