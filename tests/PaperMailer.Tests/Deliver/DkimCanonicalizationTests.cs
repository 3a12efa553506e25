using System.Buffers;
using System.Text;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Smtp;

namespace PaperMailer.Tests.Deliver;

public class DkimCanonicalizationTests
{
    [Theory]
    // RFC 6376 3.4.5's example, and a value with a colon of its own (whose following space must stay).
    [InlineData("A", " X", "a:X")]
    [InlineData("B ", " Y\t\r\n\tZ  ", "b:Y Z")]
    [InlineData("Subject", " Your papers for 22 Nov: 2 new", "subject:Your papers for 22 Nov: 2 new")]
    public void Relaxed_header_lowercases_the_name_unfolds_and_collapses_whitespace(string name, string value, string expected) =>
        Assert.Equal(expected, DkimCanonicalization.RelaxedHeader(name, value));

    [Theory]
    [InlineData(" C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n")]
    [InlineData("a\r\n\r\nb\r\n\r\n", "a\r\n\r\nb\r\n")]
    [InlineData("\r\n\r\n", "")]
    [InlineData("", "")]
    public void Relaxed_body_collapses_whitespace_and_drops_trailing_empty_lines(string body, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        DkimCanonicalization.RelaxedBody(Encoding.ASCII.GetBytes(body), output);
        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Smtp_replies_keep_code_enhanced_status_and_text()
    {
        var reply = SmtpReply.FromLines(550, ["5.1.1 <x@example.org>: Recipient address rejected"]);
        Assert.Equal("550 5.1.1 <x@example.org>: Recipient address rejected", reply.ToString());
        Assert.Equal("5.1.1", reply.EnhancedStatus);
        Assert.True(reply.IsPermanent);
        Assert.Null(SmtpReply.FromLines(250, ["smtp.example.org"]).EnhancedStatus);
    }
}
