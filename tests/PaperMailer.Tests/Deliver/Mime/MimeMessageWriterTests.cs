using System.Net.Mail;
using System.Text;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Mime;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Deliver.Mime;

public class MimeMessageWriterTests
{
    private static readonly string LongWord = string.Concat(Enumerable.Repeat("abcdefghij", 500));

    // Every case the encoder must get right, in one body: a lone ".", "From " at a line start, trailing
    // whitespace, "=" and "=3D" literally, tabs, non-ASCII incl. a 4-byte character, a 5000-character word,
    // mixed line ends, and no final newline.
    private static readonly string HardText =
        "Dear Zoë,\r\n.\r\n..two dots\r\nFrom here on\r\ntrailing space \r\ntrailing tab\t\r\n"
        + "a=b and =3D stays\r\n\tindented\nLF only\rCR only\r\n\r\nemoji 🧪 and 中文\r\n" + LongWord + "\r\nend without newline";

    [Fact]
    public void Uses_CRLF_only_and_no_line_longer_than_998_octets()
    {
        byte[] bytes = MimeMessageWriter.Write(Message(TestMessages.Digest(), text: HardText, html: "<p>" + LongWord + "</p>", subject: LongWord));

        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                Assert.True(i > 0 && bytes[i - 1] == '\r', $"bare LF at byte {i}");
            }

            if (bytes[i] == '\r')
            {
                Assert.True(i + 1 < bytes.Length && bytes[i + 1] == '\n', $"bare CR at byte {i}");
            }
        }

        Assert.All(Lines(bytes), line => Assert.True(line.Length <= 998, $"line of {line.Length} octets"));
        Assert.EndsWith("--\r\n", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Ordinary_message_keeps_every_line_within_78_columns()
    {
        var message = Message(TestMessages.Digest(), subject: "Dnešní články: große Übersicht über 12 neue Arbeiten zu Sprachmodellen und Robotik",
            to: new MailAddress("zoe@example.org", "Zoë Ünal-Žáková, Lab of Computational Linguistics"));

        // A line may only be longer when it holds a single word that folding cannot split (the unsubscribe URL).
        Assert.All(Lines(MimeMessageWriter.Write(message)), line =>
            Assert.True(line.Length <= 78 || Words(line) == 1, $"line of {line.Length}: {line}"));
    }

    private static int Words(string headerLine)
    {
        string value = headerLine.StartsWith(' ') ? headerLine : headerLine[(headerLine.IndexOf(':') + 1)..];
        return value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    [Fact]
    public void Headers_come_in_the_documented_order()
    {
        string[] names = HeaderBlock(MimeMessageWriter.Write(TestMessages.Digest()))
            .Split("\r\n").Where(l => l.Length > 0 && l[0] != ' ').Select(l => l[..l.IndexOf(':')]).ToArray();

        Assert.Equal(["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Type"], names);
    }

    [Theory]
    [InlineData(1, 0, "Sun, 22 Nov 2026 17:00:00 +0100")]
    [InlineData(-3, -30, "Sun, 22 Nov 2026 17:00:00 -0330")]
    [InlineData(0, 0, "Sun, 22 Nov 2026 17:00:00 +0000")]
    public void Date_is_written_in_RFC_5322_form_with_its_own_offset(int hours, int minutes, string expected)
    {
        var date = new DateTimeOffset(2026, 11, 22, 17, 0, 0, new TimeSpan(hours, minutes, 0));
        string header = HeaderBlock(MimeMessageWriter.Write(TestMessages.Digest() with { Date = date }));

        Assert.StartsWith($"Date: {expected}\r\n", header);
    }

    [Fact]
    public void Bodies_round_trip_through_an_independent_quoted_printable_decoder()
    {
        string html = "<p>Zoë</p>\n<p>" + LongWord + "</p>\n.\n<p style=\"x\">=</p>";
        byte[] bytes = MimeMessageWriter.Write(Message(TestMessages.Digest(), text: HardText, html: html));

        List<(string Headers, string Body)> parts = Parts(bytes);
        Assert.Equal(2, parts.Count);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", parts[0].Headers);
        Assert.Contains("Content-Type: text/html; charset=utf-8", parts[1].Headers);
        Assert.All(parts, p => Assert.Contains("Content-Transfer-Encoding: quoted-printable", p.Headers));
        Assert.Equal(Crlf(HardText), QuotedPrintableTestDecoder.Decode(parts[0].Body));
        Assert.Equal(Crlf(html), QuotedPrintableTestDecoder.Decode(parts[1].Body));
    }

    [Fact]
    public void Encoded_body_lines_are_at_most_76_characters_and_never_start_with_a_dot_or_From()
    {
        byte[] bytes = MimeMessageWriter.Write(Message(TestMessages.Digest(), text: HardText));

        string[] encoded = Parts(bytes)[0].Body.Split("\r\n");
        Assert.All(encoded, line => Assert.True(line.Length <= 76, $"encoded line of {line.Length}"));
        Assert.DoesNotContain(encoded, line => line.StartsWith('.') || line.StartsWith("From ", StringComparison.Ordinal));
        Assert.Contains("=2E", encoded);
        Assert.Contains("trailing space=20", encoded);
        Assert.Contains("trailing tab=09", encoded);
    }

    [Fact]
    public void Non_ASCII_subject_and_names_become_encoded_words_and_headers_stay_ASCII()
    {
        var message = Message(TestMessages.Digest(), subject: "Überblick: 5 neue Arbeiten — 🧪",
            to: new MailAddress("zoe@example.org", "Zoë Žáková"));

        string headers = HeaderBlock(MimeMessageWriter.Write(message));

        Assert.All(headers, c => Assert.True(c < 128));
        Assert.Contains("Subject: =?utf-8?B?", headers);
        Assert.Contains("To: =?utf-8?B?", headers);
        Assert.Contains("<zoe@example.org>", headers);
    }

    [Fact]
    public void Subject_with_line_breaks_is_written_on_one_logical_line()
    {
        string headers = HeaderBlock(MimeMessageWriter.Write(Message(TestMessages.Digest(), subject: "first\r\nBcc: victim@example.org")));

        Assert.DoesNotContain("\r\nBcc:", headers);
        Assert.Contains("Subject: first  Bcc: victim@example.org\r\n", headers);
    }

    [Fact]
    public void Same_message_gives_the_same_bytes()
    {
        Assert.Equal(MimeMessageWriter.Write(TestMessages.Digest()), MimeMessageWriter.Write(TestMessages.Digest()));
    }

    [Fact]
    public async Task WriteAsync_writes_the_same_bytes_to_a_stream()
    {
        using var stream = new MemoryStream();
        await MimeMessageWriter.WriteAsync(TestMessages.Digest(), stream);

        Assert.Equal(MimeMessageWriter.Write(TestMessages.Digest()), stream.ToArray());
    }

    [Theory]
    [InlineData("X-Bad", "line\r\nInjected: yes", "printable ASCII on one line")]
    [InlineData("X-Bad", "Zoë", "printable ASCII on one line")]
    [InlineData("Bad Name", "x", "Header name \"Bad Name\"")]
    [InlineData("Subject", "twice", "Header Subject is written from the message's own properties")]
    public void Malformed_extra_headers_are_refused(string name, string value, string expected)
    {
        var message = TestMessages.Digest() with { Headers = [new(name, value)] };

        var error = Assert.Throws<ArgumentException>(() => MimeMessageWriter.Write(message));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("pm.1@example.org")]
    [InlineData("<pm 1@example.org>")]
    [InlineData("<pm.1>")]
    public void Malformed_Message_ID_is_refused(string messageId)
    {
        var error = Assert.Throws<ArgumentException>(() => MimeMessageWriter.Write(TestMessages.Digest(messageId)));
        Assert.Contains("Message-ID", error.Message);
    }

    [PythonEmailFact]
    public async Task Python_email_package_reads_back_every_header_and_both_parts()
    {
        var message = Message(TestMessages.Digest(), subject: "Überblick: 5 neue Arbeiten — 🧪 " + LongWord,
            to: new MailAddress("zoe@example.org", "Zoë \"Z\" Žáková, PhD"), text: HardText,
            html: "<p>Zoë</p>\n.\n<p>" + LongWord + "</p>");

        ParsedEmail parsed = await PythonEmail.ParseAsync(MimeMessageWriter.Write(message));

        Assert.Empty(parsed.Defects);
        Assert.Equal("Sun, 22 Nov 2026 17:00:00 +0100", parsed.Header("Date"));
        Assert.Equal(message.Subject, parsed.Header("Subject"));
        Assert.Equal(new ParsedAddress("Zoë \"Z\" Žáková, PhD", "zoe@example.org"), Assert.Single(parsed.Single("To").Addresses!));
        Assert.Equal(new ParsedAddress("PaperMailer", "digest@papers.example.org"), Assert.Single(parsed.Single("From").Addresses!));
        Assert.Equal(message.MessageId, parsed.RawHeader("Message-ID"));
        Assert.Equal("1.0", parsed.Header("MIME-Version"));
        foreach ((string name, string value) in message.Headers)
        {
            Assert.Equal(value, parsed.RawHeader(name));
        }

        Assert.Equal("multipart/alternative", parsed.ContentType);
        Assert.Equal(["text/plain", "text/html"], parsed.Parts.Select(p => p.ContentType));
        Assert.All(parsed.Parts, p => Assert.Equal(("utf-8", "quoted-printable"), (p.Charset, p.TransferEncoding)));
        Assert.Equal(Crlf(message.TextBody), Crlf(parsed.Parts[0].Content!));
        Assert.Equal(Crlf(message.HtmlBody), Crlf(parsed.Parts[1].Content!));
    }

    [PythonEmailFact]
    public async Task Text_mostly_outside_ASCII_goes_as_base64_mostly_ASCII_text_as_quoted_printable_and_both_read_back()
    {
        string cjk = string.Concat(Enumerable.Repeat("大型语言模型的推理能力与对齐研究。\n", 40));
        string russian = string.Concat(Enumerable.Repeat("Обучение с подкреплением для языковых агентов.\r\n", 40)) + "Конец\u2028без\u0085перевода";
        string arabic = string.Concat(Enumerable.Repeat("نماذج اللغة الكبيرة والتعلم المعزز\r", 40));
        string german = "Überblick über neue Arbeiten zu Sprachmodellen und Agenten\n.\nFrom here on: ü\n";
        string html = "<html><body><p>" + string.Join("</p>\n<p>", Enumerable.Repeat("Paper title with a link https://arxiv.org/abs/2601.00001", 30)) + "</p>中文</body></html>";

        foreach ((string text, string expectedText) in new[] { (cjk, "base64"), (russian, "base64"), (arabic, "base64"), (german, "quoted-printable") })
        {
            byte[] bytes = MimeMessageWriter.Write(Message(TestMessages.Digest(), text: text, html: html));

            ParsedEmail parsed = await PythonEmail.ParseAsync(bytes);

            Assert.Empty(parsed.Defects);
            Assert.Equal([("utf-8", expectedText), ("utf-8", "quoted-printable")], parsed.Parts.Select(p => (p.Charset, p.TransferEncoding)));
            Assert.Equal(OnlyCrLf(text), OnlyCrLf(parsed.Parts[0].Content!));
            Assert.Equal(html, parsed.Parts[1].Content);
            Assert.DoesNotContain(Lines(bytes), line => line.Length > 76 && !line.Contains(':', StringComparison.Ordinal));
            Assert.True(bytes.All(b => b < 0x80), "the message must stay 7-bit");
        }
    }

    [Fact]
    public void Base64_is_chosen_only_where_it_is_smaller_than_quoted_printable()
    {
        string cjk = string.Concat(Enumerable.Repeat("推理能力", 200));
        string mostlyAscii = string.Concat(Enumerable.Repeat("Reasoning in large language models, ü. ", 50));

        int Size(string text) => Parts(MimeMessageWriter.Write(Message(TestMessages.Digest(), text: text)))[0].Body.Length;
        string Encoding(string text) => Parts(MimeMessageWriter.Write(Message(TestMessages.Digest(), text: text)))[0].Headers;

        Assert.Contains("Content-Transfer-Encoding: base64", Encoding(cjk));
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", Encoding(mostlyAscii));
        // CJK: 3 UTF-8 bytes per character, base64 4 octets per 3 bytes, against 9 octets per character in quoted-printable.
        Assert.InRange(Size(cjk), 800 * 4, 800 * 4 * 105 / 100);
    }

    [PythonEmailFact]
    public async Task A_body_containing_the_boundary_text_does_not_split_the_message()
    {
        byte[] first = MimeMessageWriter.Write(TestMessages.Digest());
        string boundary = HeaderBlock(first).Split("boundary=\"")[1].Split('"')[0];
        string text = $"--{boundary}\r\nContent-Type: text/html\r\n\r\n--{boundary}--\r\n";

        ParsedEmail parsed = await PythonEmail.ParseAsync(MimeMessageWriter.Write(Message(TestMessages.Digest(), text: text)));

        Assert.Equal(boundary, parsed.Boundary);
        Assert.Equal(2, parsed.Parts.Count);
        Assert.Equal(text, Crlf(parsed.Parts[0].Content!));
    }

    private static OutgoingMessage Message(OutgoingMessage m, string? text = null, string? html = null, string? subject = null, MailAddress? to = null) =>
        m with { TextBody = text ?? m.TextBody, HtmlBody = html ?? m.HtmlBody, Subject = subject ?? m.Subject, To = to ?? m.To };

    private static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    // Only CR and LF are line breaks in a text body; NEL, LS and PS must come through as the characters they are.
    private static string OnlyCrLf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static IEnumerable<string> Lines(byte[] bytes) => Encoding.UTF8.GetString(bytes).Split("\r\n");

    private static string HeaderBlock(byte[] bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        return text[..(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 2)];
    }

    // Splits at the delimiter lines by hand (RFC 2046 5.1.1), independent of the writer's code.
    private static List<(string Headers, string Body)> Parts(byte[] bytes)
    {
        string text = Encoding.ASCII.GetString(bytes);
        string boundary = HeaderBlock(bytes).Split("boundary=\"")[1].Split('"')[0];
        string[] chunks = text.Split("\r\n--" + boundary);
        Assert.Equal("--\r\n", chunks[^1]);
        return chunks[1..^1].Select(chunk =>
        {
            int blank = chunk.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return (chunk[2..(blank + 2)], chunk[(blank + 4)..]);
        }).ToList();
    }
}
