using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>
/// What the delivery tests share: digests built as the product builds them, each marked with the test's run id so
/// the test finds its own messages in the sink's Maildir; transports signing with a fresh DKIM key; and the checks
/// of what arrived, by Python's email package and python3-dkim, both independent of MimeKit.
/// </summary>
public sealed class DeliveryTestKit : IDisposable
{
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("0123456789", 300));

    private static readonly MailMessageFactory Factory =
        new(Options.Create(new DeliveryOptions { From = "PaperMailer <digest@papers.example.org>" }));

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"papermailer-dkim-{Guid.NewGuid():N}.pem");

    public DeliveryTestKit() => File.WriteAllText(_keyFile, _key.ExportPkcs8PrivateKeyPem());

    /// <summary>In every message of this test, and nowhere else in the Maildir.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..12];

    public DkimOptions Dkim => new() { Domain = "papers.example.org", Selector = "test", PrivateKeyFile = _keyFile };

    public SmtpTransport Transport(SmtpOptions options, bool signed = false) =>
        new(Options.Create(options), new DkimMessageSigner(Options.Create(signed ? Dkim : new DkimOptions())), NullLogger<SmtpTransport>.Instance);

    /// <summary>
    /// Digest number <paramref name="i"/>: lines that start with "." (SMTP dot-stuffing), "From " at a line start,
    /// a trailing space, a 3,000-character line, non-ASCII names and subjects, every third subject long enough to fold.
    /// </summary>
    public TestDigest Digest(int i, string? localPart = null) => new(
        Email: $"{localPart ?? $"reader{i}."}{Run}@example.org",
        Name: i % 2 == 0 ? $"Reader {i}" : $"Zoë Žáková {i}",
        Subject: i % 3 == 0 ? $"Überblick: {i} neue Arbeiten — 🧪 with a subject long enough to need folding across lines" : $"Your papers for 22 Nov: {i} new",
        Text: $"Papers for reader {i}\n.\n..\n.hidden start\nFrom the top: ünïcode\ntrailing space \n{LongLine}\nend",
        Html: $"<html><body><p>Reader {i}</p>\n<p>Zoë</p>\n.\n<p>{LongLine}</p></body></html>\n",
        MessageId: $"<pm.2026-11-22.{i:D2}.{Run}@papers.example.org>",
        UnsubscribeUrl: $"https://papers.example.org/unsubscribe?token={Run}{i:D4}abcdefghijklmnopqrstuvwxyz0123456789");

    public static void AssertArrivedUnchanged(TestDigest sent, ParsedEmail received, bool utf8Headers = false)
    {
        if (!utf8Headers)
        {
            Assert.Empty(received.Defects);
        }

        Assert.Equal(sent.Email, received.Header("X-Original-To"));
        Assert.Equal(sent.MessageId, received.RawHeader("Message-ID"));
        Assert.Equal(sent.Subject, received.Header("Subject"));
        Assert.Equal("Sun, 22 Nov 2026 17:00:00 +0100", received.Header("Date"));
        Assert.Equal("1.0", received.Header("MIME-Version"));
        Assert.Equal(new ParsedAddress("PaperMailer", "digest@papers.example.org"), Assert.Single(received.Single("From").Addresses!));
        Assert.Equal(new ParsedAddress(sent.Name, sent.Email), Assert.Single(received.Single("To").Addresses!));
        Assert.Equal($"<{sent.UnsubscribeUrl}>", received.RawHeader("List-Unsubscribe").Trim());
        Assert.Equal("List-Unsubscribe=One-Click", received.RawHeader("List-Unsubscribe-Post"));
        Assert.Equal("multipart/alternative", received.ContentType);
        Assert.Equal(["text/plain", "text/html"], received.Parts.Select(p => p.ContentType));
        Assert.All(received.Parts, p => Assert.Equal("utf-8", p.Charset));
        Assert.Equal(sent.Text.ReplaceLineEndings("\n"), received.Parts[0].Content!.ReplaceLineEndings("\n"));
        Assert.Equal(sent.Html.ReplaceLineEndings("\n"), received.Parts[1].Content!.ReplaceLineEndings("\n"));
        string[] lines = File.ReadAllText(received.Path).Split("\r\n");
        Assert.DoesNotContain(lines, line => line.Length > 998);
        // Long headers are folded, and every line of the message but the List-Unsubscribe URL fits in 78 columns.
        Assert.DoesNotContain(lines, line => line.Length > 78 && !line.StartsWith("List-Unsubscribe:", StringComparison.Ordinal)
            && !line.StartsWith("X-", StringComparison.Ordinal) && !line.StartsWith("Return-Path:", StringComparison.Ordinal));
    }

    /// <summary>The one message of this test in the Maildir: unchanged, its DKIM signature verified; for further checks.</summary>
    public async Task<ParsedEmail> AssertArrivedAloneAndSignedAsync(TestDigest sent)
    {
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(Run);
        ParsedEmail arrived = Assert.Single(await PythonEmail.ParseFilesAsync(files));
        AssertArrivedUnchanged(sent, arrived);
        await AssertDkimValidAsync(files);
        return arrived;
    }

    public async Task AssertDkimValidAsync(IReadOnlyList<string> files)
    {
        Assert.NotEmpty(files);
        IReadOnlyList<DkimVerdict> verdicts = await PythonDkim.VerifyFilesAsync(DkimDnsRecord.Value(_key), files);
        Assert.Equal(files.Count, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.Valid, $"{v.Path}: {v.Error ?? "signature does not verify"}"));
    }

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(_keyFile);
    }

    public sealed record TestDigest(string Email, string Name, string Subject, string Text, string Html, string MessageId, string UnsubscribeUrl)
    {
        /// <summary>A new message each time: a transport signs the message it is given, so each send needs its own.</summary>
        public MimeMessage ToMessage() => Factory.CreateDigest(Name, Email, Subject, Text, Html, MessageId, UnsubscribeUrl, new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.FromHours(1)));
    }
}
