using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>SystemNetMailTransport against real servers; what arrived is read back with Python's email package.</summary>
public class SystemNetMailTransportTests
{
    private const int MessageCount = 20;
    private const int Connections = 4;
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("0123456789", 300));

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    [SmtpServerFact]
    public async Task Concurrent_messages_arrive_unchanged_over_at_most_MaxConnections_connections()
    {
        (string host, int port) = TestServers.Smtp;
        using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = Connections });
        OutgoingMessage[] messages = Enumerable.Range(0, MessageCount).Select(Message).ToArray();

        DeliveryResult[] results = await Task.WhenAll(messages.Select(m => transport.SendAsync(m, CancellationToken.None)));

        Assert.Equal(Connections, transport.MaxConcurrency);
        Assert.All(results, r => Assert.Equal(DeliveryResult.Sent($"250 accepted by {host}:{port}"), r));
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_run);
        Assert.Equal(MessageCount, files.Count);

        IReadOnlyList<ParsedEmail> arrived = await PythonEmail.ParseFilesAsync(files);
        foreach (OutgoingMessage sent in messages)
        {
            ParsedEmail received = Assert.Single(arrived, a => a.RawHeader("Message-ID") == sent.MessageId);
            AssertArrivedUnchanged(sent, received);
        }

        // The server records each message's client address and port: one port per pooled connection.
        int connectionsUsed = arrived.Select(a => a.Header("X-Peer")).Distinct().Count();
        Assert.InRange(connectionsUsed, 1, Connections);
    }

    [SmtpServerFact]
    public async Task A_connection_is_reused_until_it_has_been_idle_too_long()
    {
        (string host, int port) = TestServers.Smtp;
        var time = new ManualTimeProvider();
        using var transport = new SystemNetMailTransport(
            Options.Create(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1 }),
            NullLogger<SystemNetMailTransport>.Instance, time);

        await transport.SendAsync(Message(0), CancellationToken.None);
        time.Advance(SystemNetMailTransport.MaxIdleTime / 2);
        await transport.SendAsync(Message(1), CancellationToken.None);
        time.Advance(SystemNetMailTransport.MaxIdleTime * 2);
        await transport.SendAsync(Message(2), CancellationToken.None);

        string[] peers = [.. (await PythonEmail.ParseFilesAsync(TestServers.Maildir.FilesContaining(_run)))
            .OrderBy(m => m.RawHeader("Message-ID"), StringComparer.Ordinal).Select(m => m.Header("X-Peer"))];
        Assert.Equal(3, peers.Length);
        Assert.Equal(peers[0], peers[1]);
        Assert.NotEqual(peers[1], peers[2]);
    }

    [Fact]
    public async Task An_unreachable_server_defers_instead_of_throwing()
    {
        int closedPort = ClosedLocalPort();
        using var transport = Transport(new SmtpOptions { Host = "127.0.0.1", Port = closedPort, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) });

        DeliveryResult result = await transport.SendAsync(Message(0), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Contains("Connection refused", result.Reply);
        Assert.Contains($"127.0.0.1:{closedPort}", result.Reply);
    }

    [SmtpServerFact]
    public async Task A_permanent_refusal_fails_a_temporary_one_defers_and_the_next_message_still_goes()
    {
        (string host, int port) = TestServers.Smtp;
        using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1 });
        var rejected = Message(0) with { To = new MailAddress($"reject-{_run}@example.org") };
        var deferred = Message(1) with { To = new MailAddress($"defer-{_run}@example.org") };

        DeliveryResult failed = await transport.SendAsync(rejected, CancellationToken.None);
        DeliveryResult later = await transport.SendAsync(deferred, CancellationToken.None);
        DeliveryResult sent = await transport.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(DeliveryResult.Failed($"550 5.1.1 <reject-{_run}@example.org>: Recipient address rejected: test sink refuses reject-*"), failed);
        Assert.Equal(DeliveryResult.Deferred($"450 4.2.1 <defer-{_run}@example.org>: Mailbox busy: test sink defers defer-*"), later);
        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        Assert.Single(TestServers.Maildir.FilesContaining(_run));
    }

    [SmtpServerFact(TestServers.StartTlsVariable)]
    public async Task StartTls_with_credentials_sends_when_certificate_checks_are_skipped()
    {
        (string host, int port) = TestServers.StartTls;
        using var transport = Transport(new SmtpOptions
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true,
            UserName = TestServers.User, Password = TestServers.Password,
        });

        DeliveryResult result = await transport.SendAsync(Message(0), CancellationToken.None);

        Assert.Equal(DeliveryResult.Sent($"250 accepted by {host}:{port}"), result);
        ParsedEmail received = (await PythonEmail.ParseFilesAsync(TestServers.Maildir.FilesContaining(_run)))[0];
        AssertArrivedUnchanged(Message(0), received);
    }

    [SmtpServerFact(TestServers.StartTlsVariable)]
    public async Task StartTls_defers_when_the_certificate_is_not_trusted()
    {
        (string host, int port) = TestServers.StartTls;
        using var transport = Transport(new SmtpOptions
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, UserName = TestServers.User, Password = TestServers.Password,
        });

        DeliveryResult result = await transport.SendAsync(Message(0), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Contains("certificate", result.Reply);
        Assert.Empty(TestServers.Maildir.FilesContaining(_run));
    }

    [SmtpServerFact(TestServers.StartTlsVariable)]
    public async Task A_wrong_password_defers_and_points_at_the_settings()
    {
        (string host, int port) = TestServers.StartTls;
        using var transport = Transport(new SmtpOptions
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true,
            UserName = TestServers.User, Password = "wrong",
        });

        DeliveryResult result = await transport.SendAsync(Message(0), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.StartsWith("530 ", result.Reply);
        Assert.Contains("check the Smtp settings", result.Reply);
    }

    [SmtpServerFact(TestServers.PostfixVariable)]
    public async Task Postfix_accepts_over_StartTls()
    {
        (string host, int port) = TestServers.Postfix;
        using var transport = Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true });

        DeliveryResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => transport.SendAsync(Message(i), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(DeliveryResult.Sent($"250 accepted by {host}:{port}"), r));
    }

    private OutgoingMessage Message(int i) => new()
    {
        From = new MailAddress("digest@papers.example.org", "PaperMailer"),
        To = new MailAddress($"reader{i}.{_run}@example.org", i % 2 == 0 ? $"Reader {i}" : $"Zoë Žáková {i}"),
        Subject = i % 3 == 0 ? $"Überblick: {i} neue Arbeiten — 🧪" : $"Your papers for 22 Nov: {i} new",
        TextBody = $"Papers for reader {i}\n.\nFrom the top: ünïcode\ntrailing space \n{LongLine}\nend",
        HtmlBody = $"<html><body><p>Reader {i}</p>\n<p>Zoë</p>\n.\n<p>{LongLine}</p></body></html>\n",
        MessageId = $"<pm.2026-11-22.{i}.{_run}@papers.example.org>",
        Date = new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.FromHours(1)),
        Headers =
        [
            new("List-Unsubscribe", $"<https://papers.example.org/unsubscribe?token={_run}{i:D4}abcdefghijklmnopqrstuvwxyz0123456789>, <mailto:unsubscribe@papers.example.org?subject=unsubscribe-{_run}-{i}>"),
            new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ],
    };

    private static void AssertArrivedUnchanged(OutgoingMessage sent, ParsedEmail received)
    {
        Assert.Empty(received.Defects);
        Assert.Equal(sent.To.Address, received.Header("X-Original-To"));
        Assert.Equal(sent.MessageId, received.RawHeader("Message-ID"));
        Assert.Equal(sent.Subject, received.Header("Subject"));
        Assert.Equal(new ParsedAddress(sent.From.DisplayName, sent.From.Address), Assert.Single(received.Single("From").Addresses!));
        Assert.Equal(new ParsedAddress(sent.To.DisplayName, sent.To.Address), Assert.Single(received.Single("To").Addresses!));
        // Unfolded but not decoded: the exact characters we gave, even where System.Net.Mail folded the line.
        Assert.Equal(sent.Headers[0].Value, received.RawHeader("List-Unsubscribe"));
        Assert.Equal(sent.Headers[1].Value, received.RawHeader("List-Unsubscribe-Post"));
        // System.Net.Mail writes its own Date (send time); there must be exactly one.
        Assert.Single(received.All("Date"));

        Assert.Equal("multipart/alternative", received.ContentType);
        Assert.Equal(["text/plain", "text/html"], received.Parts.Select(p => p.ContentType));
        Assert.All(received.Parts, p => Assert.Equal("utf-8", p.Charset));
        Assert.Equal(sent.TextBody.ReplaceLineEndings("\n"), received.Parts[0].Content!.ReplaceLineEndings("\n"));
        Assert.Equal(sent.HtmlBody.ReplaceLineEndings("\n"), received.Parts[1].Content!.ReplaceLineEndings("\n"));
    }

    private static SystemNetMailTransport Transport(SmtpOptions options) =>
        new(Options.Create(options), NullLogger<SystemNetMailTransport>.Instance);

    // A port that was free a moment ago and has nothing listening: connecting is refused at once.
    private static int ClosedLocalPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
