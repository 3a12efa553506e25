using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Mime;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Testing;
using PaperMailer.Tests.Deliver;

namespace PaperMailer.Tests.Digest;

/// <summary>
/// The emails as built, before any transport: read back with Python's email package (an independent MIME parser)
/// and checked line by line in their wire form.
/// </summary>
public sealed class MailMessageFactoryTests : IDisposable
{
    private static readonly DateTimeOffset Date = new(2026, 11, 22, 17, 0, 0, TimeSpan.FromHours(1));
    private static readonly Subscriber Zoe = new() { Id = 7, Email = "zoe@example.org", Name = "Zoë \"Z\" Žáková" };

    private readonly List<string> _files = [];

    public void Dispose() => _files.ForEach(File.Delete);

    [PythonEmailFact]
    public async Task A_digest_is_text_then_HTML_with_encoded_names_and_subject_and_the_one_click_unsubscribe_headers()
    {
        var digest = new RenderedDigest("Überblick · 3 neue Arbeiten für dich", "Text with ünïcode\n.\nend\n", "<p>Zoë</p>\n");

        ParsedEmail parsed = await ParseAsync(TestMessages.Factory.CreateDigest(Zoe.Name, Zoe.Email, digest.Subject, digest.Text, digest.Html, "<pm.20261122.7.abc@papers.example.org>",
            "https://papers.example.org/unsubscribe?token=unsubscribe.7.0.abc", Date));

        Assert.Empty(parsed.Defects);
        Assert.Equal("multipart/alternative", parsed.ContentType);
        Assert.Equal(["text/plain", "text/html"], parsed.Parts.Select(p => p.ContentType));
        Assert.All(parsed.Parts, p => Assert.Equal(("utf-8", "quoted-printable"), (p.Charset, p.TransferEncoding)));
        Assert.Equal(digest.Text, parsed.Parts[0].Content!.ReplaceLineEndings("\n"));
        Assert.Equal(digest.Html, parsed.Parts[1].Content!.ReplaceLineEndings("\n"));
        Assert.Equal(digest.Subject, parsed.Header("Subject"));
        Assert.StartsWith("=?utf-8?", parsed.RawHeader("Subject"));
        Assert.Equal(new ParsedAddress("PaperMailer", "digest@papers.example.org"), Assert.Single(parsed.Single("From").Addresses!));
        Assert.Equal(new ParsedAddress(Zoe.Name!, Zoe.Email), Assert.Single(parsed.Single("To").Addresses!));
        Assert.Equal("<pm.20261122.7.abc@papers.example.org>", parsed.RawHeader("Message-ID"));
        Assert.Equal("Sun, 22 Nov 2026 17:00:00 +0100", parsed.Header("Date"));
        Assert.Equal("<https://papers.example.org/unsubscribe?token=unsubscribe.7.0.abc>", parsed.RawHeader("List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", parsed.RawHeader("List-Unsubscribe-Post"));
        Assert.Empty(parsed.All(MailMessageFactory.TestHeader));
    }

    [PythonEmailFact]
    public async Task Text_mostly_outside_ASCII_goes_as_base64_where_that_is_smaller()
    {
        string abstracts = string.Concat(Enumerable.Repeat("大型语言模型的推理能力。Обучение с подкреплением.\n", 40));

        ParsedEmail parsed = await ParseAsync(TestMessages.Digest(text: abstracts));

        Assert.Equal(["base64", "quoted-printable"], parsed.Parts.Select(p => p.TransferEncoding));
        Assert.Equal(abstracts, parsed.Parts[0].Content!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_line_fits_in_78_columns_except_the_unsubscribe_URL_and_the_same_digest_gives_the_same_bytes()
    {
        string longLine = string.Concat(Enumerable.Repeat("0123456789 ", 300));
        MimeMessage Build() => TestMessages.Digest(subject: "A subject " + string.Concat(Enumerable.Repeat("with many words ", 12)),
            text: longLine, html: $"<p>{longLine}</p>", name: "Zoë Žáková with a display name that is rather long for one line");

        byte[] first = Bytes(Build());
        byte[] second = Bytes(Build());

        Assert.Equal(first, second);
        string[] lines = System.Text.Encoding.UTF8.GetString(first).Split("\r\n");
        Assert.DoesNotContain(lines, line => line.Length > 78 && !line.StartsWith("List-Unsubscribe: <", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plain lines\nwith trailing spaces   \nand tabs\t\n=equals= and a long line " + "0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 0123456789\n")]
    [InlineData("no line break at the end, ünïcode")]
    [InlineData("Статья о языковых агентах, которые планируют.\nВторая строка.\n")]
    public void Parts_kept_encoded_with_CRLF_write_what_MimeKit_writes_for_any_line_ending(string text)
    {
        // The parts are held encoded with CRLF and written as they are; MimeKit's own way (through its line-ending
        // filter) must give the same bytes: with LF line endings, converted back, and again with CRLF.
        MimeMessage message = TestMessages.Digest(text: text, html: $"<p>{text}</p>\n");
        byte[] crlf = Bytes(message);
        using var lf = new MemoryStream();
        var unix = WireFormat.Options.Clone();
        unix.NewLineFormat = NewLineFormat.Unix;
        message.WriteTo(unix, lf);
        MimeMessage throughMimeKit = TestMessages.Digest(text: text, html: $"<p>{text}</p>\n");
        var parts = Assert.IsType<MultipartAlternative>(throughMimeKit.Body);
        for (int i = 0; i < parts.Count; i++)
        {
            parts[i] = Reencoded(parts[i]);
        }

        Assert.Equal(System.Text.Encoding.UTF8.GetString(lf.ToArray()).Replace("\n", "\r\n", StringComparison.Ordinal), System.Text.Encoding.UTF8.GetString(crlf));
        Assert.Equal(crlf, Bytes(throughMimeKit));
        Assert.Equal(text.Replace("\r", "", StringComparison.Ordinal), Assert.IsType<TextPart>(Assert.IsType<MultipartAlternative>(message.Body)[0], exactMatch: false).Text.Replace("\r", "", StringComparison.Ordinal));
    }

    /// <summary>The same part as a plain MimeKit text part over the same encoded content, which MimeKit writes through its filter.</summary>
    private static TextPart Reencoded(MimeEntity entity)
    {
        var part = Assert.IsType<TextPart>(entity, exactMatch: false);
        using var content = new MemoryStream();
        part.Content!.WriteTo(content);
        return new TextPart(part.ContentType.MediaSubtype)
        {
            ContentTransferEncoding = part.ContentTransferEncoding,
            Content = new MimeContent(new MemoryStream(content.ToArray()), part.ContentTransferEncoding),
            ContentType = { Charset = "utf-8" },
        };
    }

    [Fact]
    public void Line_breaks_in_a_subject_or_name_cannot_start_a_new_header()
    {
        MimeMessage message = TestMessages.Digest(subject: "Papers\r\nBcc: everyone@example.org", name: "Ann\nX-Evil: yes");

        string written = System.Text.Encoding.UTF8.GetString(Bytes(message));

        Assert.DoesNotContain("\r\nBcc:", written);
        Assert.DoesNotContain("\r\nX-Evil:", written);
        Assert.Equal("Papers  Bcc: everyone@example.org", message.Subject);
    }

    [PythonEmailFact]
    public async Task A_test_preview_is_marked_and_carries_no_unsubscribe_headers()
    {
        var digest = new RenderedDigest("PaperMailer · 3 new papers", "text", "<p>html</p>");

        ParsedEmail parsed = await ParseAsync(TestMessages.Factory.CreateTest("Operator", "ops@example.org", digest.Subject, digest.Text, digest.Html, "preview of the digest for ann@example.org", 7, Date));

        Assert.Equal("[TEST] PaperMailer · 3 new papers", parsed.Header("Subject"));
        Assert.Equal("preview of the digest for ann@example.org", parsed.Header(MailMessageFactory.TestHeader));
        Assert.Equal(new ParsedAddress("Operator", "ops@example.org"), Assert.Single(parsed.Single("To").Addresses!));
        Assert.Empty(parsed.All("List-Unsubscribe"));
        Assert.Matches(@"^<pm\.test\.7\.[0-9a-f]{16}@papers\.example\.org>$", parsed.RawHeader("Message-ID"));
    }

    [PythonEmailFact]
    public async Task A_notice_goes_to_the_bare_address_with_its_own_Message_ID()
    {
        MimeMessage notice = TestMessages.Factory.CreateNotice("confirm", Zoe.Id, Zoe.Email, "Confirm your subscription", "text", "<p>html</p>", Date);

        ParsedEmail parsed = await ParseAsync(notice);

        Assert.Equal(new ParsedAddress("", "zoe@example.org"), Assert.Single(parsed.Single("To").Addresses!));
        Assert.Matches(@"^<pm\.confirm\.7\.[0-9a-f]{16}@papers\.example\.org>$", parsed.RawHeader("Message-ID"));
        Assert.Equal(["text/plain", "text/html"], parsed.Parts.Select(p => p.ContentType));
        Assert.Empty(parsed.All("List-Unsubscribe"));
    }

    [Theory]
    [InlineData("PaperMailer <digest@papers.example.org>", "digest@papers.example.org")]
    [InlineData("digest@papers.example.org", "digest@papers.example.org")]
    public void Delivery_From_may_have_a_display_name(string setting, string address)
    {
        var factory = new MailMessageFactory(Options.Create(new DeliveryOptions { From = setting }));

        Assert.Equal(address, factory.From.Address);
    }

    [Theory]
    [InlineData("PaperMailer")]
    [InlineData("digest@")]
    public void A_From_that_is_not_an_address_stops_with_a_sentence_naming_the_setting(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new MailMessageFactory(Options.Create(new DeliveryOptions { From = setting })));

        Assert.StartsWith($"Delivery:From \"{setting}\" is not an email address", error.Message);
    }

    [Fact]
    public void A_digest_built_and_disposed_is_not_kept_reachable_by_the_factory()
    {
        // The factory lives as long as the process; a digest run builds 100,000 messages with it.
        var factory = new MailMessageFactory(Options.Create(new DeliveryOptions { From = "PaperMailer <digest@papers.example.org>" }));

        WeakReference built = BuildAndDispose(factory);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(built.IsAlive, "a disposed digest message is still reachable once the collector has run");
        GC.KeepAlive(factory);
    }

    // Not inlined, so that no local of the test method keeps the message alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference BuildAndDispose(MailMessageFactory factory)
    {
        using MimeMessage message = factory.CreateDigest("Zoe", "zoe@example.org", "Subject", "text\n", "<p>html</p>\n",
            "<pm.20261122.7.abc@papers.example.org>", "https://papers.example.org/unsubscribe?token=t", Date);
        return new WeakReference(message);
    }

    private async Task<ParsedEmail> ParseAsync(MimeMessage message)
    {
        string path = Path.Combine(Path.GetTempPath(), $"papermailer-factory-{Guid.NewGuid():N}.eml");
        _files.Add(path);
        await File.WriteAllBytesAsync(path, Bytes(message));
        return (await PythonEmail.ParseFilesAsync([path]))[0];
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var output = new MemoryStream();
        message.WriteTo(WireFormat.Options, output);
        return output.ToArray();
    }
}
