using System.Net.Mail;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>
/// PaperMailer's own SMTP transport against real servers. Every message that arrives is read back with Python's
/// email package and its DKIM signature checked by python3-dkim with the public key given directly.
/// </summary>
public sealed class SmtpTransportTests : IDisposable
{
    private const int MessageCount = 20;
    private const int Connections = 4;
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("0123456789", 300));

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"papermailer-dkim-{Guid.NewGuid():N}.pem");

    public SmtpTransportTests() => File.WriteAllText(_keyFile, _key.ExportPkcs8PrivateKeyPem());

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(_keyFile);
    }

    [SmtpServerFact]
    public async Task Concurrent_messages_arrive_unchanged_and_DKIM_signed_over_at_most_MaxConnections_connections()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = Connections }, signed: true);
        OutgoingMessage[] messages = Enumerable.Range(0, MessageCount).Select(Message).ToArray();

        DeliveryResult[] results = await Task.WhenAll(messages.Select(m => transport.SendAsync(m, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Sent, r.Outcome));
        Assert.All(results, r => Assert.StartsWith("250 2.0.0 Ok: saved as ", r.Reply));
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        Assert.Equal(MessageCount, files.Count);

        IReadOnlyList<ParsedEmail> arrived = await PythonEmail.ParseFilesAsync(files);
        foreach (OutgoingMessage sent in messages)
        {
            AssertArrivedUnchanged(sent, Assert.Single(arrived, a => a.RawHeader("Message-ID") == sent.MessageId));
        }

        Assert.InRange(arrived.Select(a => a.Header("X-Peer")).Distinct().Count(), 1, Connections);
        await AssertDkimValidAsync(files);
    }

    [SmtpServerFact]
    public async Task Base64_and_quoted_printable_parts_both_arrive_intact_and_DKIM_signed()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None }, signed: true);
        string abstracts = string.Concat(Enumerable.Repeat("大型语言模型的推理能力。Обучение с подкреплением. نماذج اللغة الكبيرة\n", 60));
        var message = Message(0) with { TextBody = abstracts };

        Assert.Equal(DeliveryOutcome.Sent, (await transport.SendAsync(message, CancellationToken.None)).Outcome);

        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        ParsedEmail arrived = Assert.Single(await PythonEmail.ParseFilesAsync(files));
        Assert.Equal(["base64", "quoted-printable"], arrived.Parts.Select(p => p.TransferEncoding));
        AssertArrivedUnchanged(message, arrived);
        await AssertDkimValidAsync(files);
    }

    [SmtpServerFact]
    public async Task A_connection_carries_MaxMessagesPerConnection_messages_then_is_replaced()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1, MaxMessagesPerConnection = 2 });

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(DeliveryOutcome.Sent, (await transport.SendAsync(Message(i), CancellationToken.None)).Outcome);
        }

        string[] peers = [.. (await PythonEmail.ParseFilesAsync(TestServers.Maildir.FilesContaining(_run)))
            .OrderBy(m => m.RawHeader("Message-ID"), StringComparer.Ordinal).Select(m => m.Header("X-Peer"))];
        Assert.Equal(5, peers.Length);
        Assert.Equal(peers[0], peers[1]);
        Assert.Equal(peers[2], peers[3]);
        Assert.Equal(3, peers.Distinct().Count());
    }

    [SmtpServerFact]
    public async Task Each_refusal_and_fault_is_reported_with_the_servers_words_and_the_next_message_still_goes()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1 });
        async Task<DeliveryResult> SendTo(string localPrefix, int i) =>
            await transport.SendAsync(Message(i) with { To = new MailAddress($"{localPrefix}{_run}@example.org") }, CancellationToken.None);

        DeliveryResult rejected = await SendTo("reject-", 0);
        DeliveryResult deferred = await SendTo("defer-", 1);
        DeliveryResult throttled = await SendTo("throttle-", 2);
        DeliveryResult busy = await SendTo("busy-", 3);
        DeliveryResult dropped = await SendTo("drop-", 4);
        DeliveryResult sent = await transport.SendAsync(Message(5), CancellationToken.None);

        Assert.Equal(DeliveryResult.Failed($"550 5.1.1 <reject-{_run}@example.org>: Recipient address rejected: test sink refuses reject-*"), rejected);
        Assert.Equal(DeliveryResult.Deferred($"450 4.2.1 <defer-{_run}@example.org>: Mailbox busy: test sink defers defer-*"), deferred);
        Assert.Equal(DeliveryResult.Deferred("421 4.7.0 Too many messages, slow down: test sink throttles throttle-*"), throttled);
        Assert.Equal(DeliveryResult.Deferred("451 4.3.0 Try again later: test sink is busy for busy-*"), busy);
        Assert.Equal(DeliveryOutcome.Deferred, dropped.Outcome);
        Assert.Contains($"({host}:{port})", dropped.Reply);
        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        Assert.Single(TestServers.Maildir.FilesContaining(_run));
    }

    [SmtpServerFact]
    public async Task A_server_slower_than_the_timeout_defers_and_cancellation_is_honoured()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromMilliseconds(300) });
        var slow = Message(0) with { To = new MailAddress($"slow-{_run}@example.org") };

        DeliveryResult timedOut = await transport.SendAsync(slow, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, timedOut.Outcome);
        Assert.Equal($"{host}:{port} did not complete the RCPT TO within 0.3 s ({host}:{port})", timedOut.Reply);

        await using var patient = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromMinutes(1) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.SendAsync(slow, cancel.Token));
        Assert.Empty(TestServers.Maildir.FilesContaining(_run));
    }

    [SmtpServerFact(TestServers.StartTlsVariable)]
    public async Task StartTls_with_AUTH_sends_when_certificate_checks_are_skipped_and_defers_when_they_are_not()
    {
        (string host, int port) = TestServers.StartTls;
        var options = new SmtpOptions
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, UserName = TestServers.User, Password = TestServers.Password,
        };
        await using var validating = Transport(options);
        await using var skipping = Transport(CopyOf(options, o => o.SkipCertificateValidation = true), signed: true);
        await using var wrongPassword = Transport(CopyOf(options, o => { o.SkipCertificateValidation = true; o.Password = "wrong"; }));

        DeliveryResult untrusted = await validating.SendAsync(Message(0), CancellationToken.None);
        DeliveryResult badLogin = await wrongPassword.SendAsync(Message(1), CancellationToken.None);
        DeliveryResult sent = await skipping.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, untrusted.Outcome);
        Assert.Contains("Smtp:SkipCertificateValidation=true", untrusted.Reply);
        Assert.Equal(DeliveryOutcome.Deferred, badLogin.Outcome);
        Assert.StartsWith("AUTH refused: 535 5.7.8 Authentication credentials invalid", badLogin.Reply);
        Assert.Contains("check the Smtp settings", badLogin.Reply);
        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        AssertArrivedUnchanged(Message(2), Assert.Single(await PythonEmail.ParseFilesAsync(files)));
        await AssertDkimValidAsync(files);
    }

    [SmtpServerFact(TestServers.LoginOnlyVariable)]
    public async Task AUTH_LOGIN_is_used_when_it_is_the_only_mechanism_offered()
    {
        (string host, int port) = TestServers.LoginOnly;
        var options = new SmtpOptions
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true,
            UserName = TestServers.User, Password = TestServers.Password,
        };
        await using var transport = Transport(options, signed: true);
        await using var wrongPassword = Transport(CopyOf(options, o => o.Password = "wrong"));

        DeliveryResult badLogin = await wrongPassword.SendAsync(Message(1), CancellationToken.None);
        DeliveryResult sent = await transport.SendAsync(Message(0), CancellationToken.None);

        // A client that tried PLAIN here would get 504 (unrecognised mechanism), not 535 and not 250.
        Assert.StartsWith("AUTH refused: 535 5.7.8 Authentication credentials invalid", badLogin.Reply);
        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        AssertArrivedUnchanged(Message(0), Assert.Single(await PythonEmail.ParseFilesAsync(files)));
        await AssertDkimValidAsync(files);
    }

    [SmtpServerFact(TestServers.SmtpUtf8Variable)]
    public async Task A_non_ASCII_address_goes_through_a_server_that_offers_SMTPUTF8_and_arrives_intact()
    {
        (string host, int port) = TestServers.SmtpUtf8;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None }, signed: true);
        var message = Message(1) with { To = new MailAddress($"zoë.žáková.{_run}@example.org", "Zoë Žáková") };

        DeliveryResult result = await transport.SendAsync(message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        ParsedEmail arrived = Assert.Single(await PythonEmail.ParseFilesAsync(files, utf8Headers: true));
        Assert.Equal(message.To.Address, arrived.Header("X-Original-To"));
        Assert.Equal(new ParsedAddress("Zoë Žáková", message.To.Address), Assert.Single(arrived.Single("To").Addresses!));
        // Python flags every non-ASCII local part, even when reading RFC 6532 headers; nothing else may be wrong.
        Assert.Equal(["To: NonASCIILocalPartDefect: local-part contains non-ASCII characters)"], arrived.Defects);
        Assert.Equal(message.TextBody.ReplaceLineEndings("\n"), arrived.Parts[0].Content!.ReplaceLineEndings("\n"));
        Assert.Equal(message.HtmlBody.ReplaceLineEndings("\n"), arrived.Parts[1].Content!.ReplaceLineEndings("\n"));
        await AssertDkimValidAsync(files);
    }

    [SmtpServerFact]
    public async Task A_non_ASCII_address_fails_clearly_when_the_server_does_not_offer_SMTPUTF8()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None });
        string address = $"zoë.{_run}@example.org";

        DeliveryResult result = await transport.SendAsync(Message(0) with { To = new MailAddress(address) }, CancellationToken.None);
        DeliveryResult next = await transport.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(DeliveryResult.Failed($"not sent: the address {address} needs SMTPUTF8, which the server does not offer"), result);
        Assert.Equal(DeliveryOutcome.Sent, next.Outcome);
        Assert.Single(TestServers.Maildir.FilesContaining(_run));
    }

    [SmtpServerFact(TestServers.ImplicitTlsVariable)]
    public async Task Implicit_TLS_sends()
    {
        (string host, int port) = TestServers.ImplicitTls;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.SslOnConnect, SkipCertificateValidation = true }, signed: true);

        DeliveryResult result = await transport.SendAsync(Message(0), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        AssertArrivedUnchanged(Message(0), Assert.Single(await PythonEmail.ParseFilesAsync(files)));
        await AssertDkimValidAsync(files);
    }

    [SmtpServerFact(TestServers.PostfixVariable)]
    public async Task Postfix_accepts_pipelined_messages_over_StartTls()
    {
        (string host, int port) = TestServers.Postfix;
        await using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true, MaxConnections = 2 }, signed: true);

        DeliveryResult[] results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => transport.SendAsync(Message(i), CancellationToken.None)));

        Assert.All(results, r => Assert.Matches(@"^250 2\.0\.0 Ok: queued as \w+$", r.Reply));
    }

    [Fact]
    public async Task An_unreachable_server_defers_instead_of_throwing()
    {
        int closedPort = ClosedLocalPort();
        await using var transport = Transport(new SmtpOptions { Host = "127.0.0.1", Port = closedPort, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) });

        DeliveryResult result = await transport.SendAsync(Message(0), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Contains("Connection refused", result.Reply);
        Assert.Contains($"127.0.0.1:{closedPort}", result.Reply);
    }

    private OutgoingMessage Message(int i) => new()
    {
        From = new MailAddress("digest@papers.example.org", "PaperMailer"),
        To = new MailAddress($"reader{i}.{_run}@example.org", i % 2 == 0 ? $"Reader {i}" : $"Zoë Žáková {i}"),
        Subject = i % 3 == 0 ? $"Überblick: {i} neue Arbeiten — 🧪 with a subject long enough to need folding across lines" : $"Your papers for 22 Nov: {i} new",
        TextBody = $"Papers for reader {i}\n.\n..\nFrom the top: ünïcode\ntrailing space \n{LongLine}\nend",
        HtmlBody = $"<html><body><p>Reader {i}</p>\n<p>Zoë</p>\n.\n<p>{LongLine}</p></body></html>\n",
        MessageId = $"<pm.2026-11-22.{i:D2}.{_run}@papers.example.org>",
        Date = new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.FromHours(1)),
        Headers =
        [
            new("List-Unsubscribe", $"<https://papers.example.org/unsubscribe?token={_run}{i:D4}abcdefghijklmnopqrstuvwxyz0123456789>"),
            new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ],
    };

    private static void AssertArrivedUnchanged(OutgoingMessage sent, ParsedEmail received)
    {
        Assert.Empty(received.Defects);
        Assert.Equal(sent.To.Address, received.Header("X-Original-To"));
        Assert.Equal(sent.MessageId, received.RawHeader("Message-ID"));
        Assert.Equal(sent.Subject, received.Header("Subject"));
        Assert.Equal("Sun, 22 Nov 2026 17:00:00 +0100", received.Header("Date"));
        Assert.Equal("1.0", received.Header("MIME-Version"));
        Assert.Equal(new ParsedAddress(sent.From.DisplayName, sent.From.Address), Assert.Single(received.Single("From").Addresses!));
        Assert.Equal(new ParsedAddress(sent.To.DisplayName, sent.To.Address), Assert.Single(received.Single("To").Addresses!));
        Assert.Equal(sent.Headers[0].Value, received.RawHeader("List-Unsubscribe"));
        Assert.Equal(sent.Headers[1].Value, received.RawHeader("List-Unsubscribe-Post"));
        Assert.Equal("multipart/alternative", received.ContentType);
        Assert.Equal(["text/plain", "text/html"], received.Parts.Select(p => p.ContentType));
        Assert.All(received.Parts, p => Assert.Equal("utf-8", p.Charset));
        Assert.Equal(sent.TextBody.ReplaceLineEndings("\n"), received.Parts[0].Content!.ReplaceLineEndings("\n"));
        Assert.Equal(sent.HtmlBody.ReplaceLineEndings("\n"), received.Parts[1].Content!.ReplaceLineEndings("\n"));
        byte[] raw = File.ReadAllBytes(received.Path);
        Assert.DoesNotContain(System.Text.Encoding.ASCII.GetString(raw).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'), line => line.Length > 998);
    }

    private async Task AssertDkimValidAsync(IReadOnlyList<string> files)
    {
        IReadOnlyList<DkimVerdict> verdicts = await PythonDkim.VerifyFilesAsync(DkimDnsRecord.Value(_key), files);
        Assert.Equal(files.Count, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.Valid, $"{v.Path}: {v.Error ?? "signature does not verify"}"));
    }

    private SmtpTransport Transport(SmtpOptions options, bool signed = false)
    {
        var dkim = signed ? new DkimOptions { Domain = "papers.example.org", Selector = "test", PrivateKeyFile = _keyFile } : new DkimOptions();
        return new SmtpTransport(Options.Create(options), new DkimSigner(Options.Create(dkim)), NullLogger<SmtpTransport>.Instance);
    }

    private static SmtpOptions CopyOf(SmtpOptions options, Action<SmtpOptions> change)
    {
        var copy = new SmtpOptions
        {
            Host = options.Host, Port = options.Port, Security = options.Security, UserName = options.UserName, Password = options.Password,
            MaxConnections = options.MaxConnections, Timeout = options.Timeout, SkipCertificateValidation = options.SkipCertificateValidation,
        };
        change(copy);
        return copy;
    }

    private static int ClosedLocalPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
