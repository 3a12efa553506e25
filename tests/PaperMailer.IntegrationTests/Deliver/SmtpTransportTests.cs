using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>
/// The MailKit transport against real servers: what arrives is exactly what was built (read back with Python's email
/// package) and DKIM-signed (checked by python3-dkim), over a pool of reused connections.
/// </summary>
public sealed class SmtpTransportTests : IDisposable
{
    private const int Connections = 4;

    private readonly DeliveryTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [SmtpServerFact]
    public async Task Concurrent_messages_arrive_unchanged_and_DKIM_signed_over_at_most_MaxConnections_connections()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = Connections }, signed: true);
        DeliveryTestKit.TestDigest[] digests = [.. Enumerable.Range(0, 20).Select(i => _kit.Digest(i))];

        DeliveryResult[] results = await Task.WhenAll(digests.Select(d => transport.SendAsync(d.ToMessage(), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Sent, r.Outcome));
        Assert.All(results, r => Assert.StartsWith("250 2.0.0 Ok: saved as ", r.Reply));
        Assert.All(results, r => Assert.Equal((250, "2.0.0"), (r.StatusCode, r.EnhancedStatusCode)));
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_kit.Run);
        Assert.Equal(digests.Length, files.Count);
        IReadOnlyList<ParsedEmail> arrived = await PythonEmail.ParseFilesAsync(files);
        foreach (DeliveryTestKit.TestDigest sent in digests)
        {
            DeliveryTestKit.AssertArrivedUnchanged(sent, Assert.Single(arrived, a => a.RawHeader("Message-ID") == sent.MessageId));
        }

        // The server records each message's client address and port: one port per pooled connection.
        Assert.InRange(arrived.Select(a => a.Header("X-Peer")).Distinct().Count(), 1, Connections);
        await _kit.AssertDkimValidAsync(files);
    }

    [SmtpServerFact]
    public async Task Lines_that_start_with_a_dot_survive_the_end_of_data_marker()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None }, signed: true);
        DeliveryTestKit.TestDigest digest = _kit.Digest(1) with { Text = ".\n.\r\n..\n. \n.x\nlast", Html = "<p>\n.\n</p>\n." };

        Assert.Equal(DeliveryOutcome.Sent, (await transport.SendAsync(digest.ToMessage(), CancellationToken.None)).Outcome);

        ParsedEmail arrived = await _kit.AssertArrivedAloneAndSignedAsync(digest);
        Assert.Equal("DATA", arrived.Header("X-Transfer"));
    }

    [SmtpServerFact(TestServers.ChunkingVariable)]
    public async Task A_server_that_offers_CHUNKING_gets_the_messages_by_BDAT_unchanged_and_DKIM_signed()
    {
        (string host, int port) = TestServers.Chunking;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 2 }, signed: true);
        DeliveryTestKit.TestDigest[] digests = [.. Enumerable.Range(0, 6).Select(i => _kit.Digest(i)), _kit.Digest(6) with { Text = ".\n..\n.x", Html = "." }];

        DeliveryResult[] results = await Task.WhenAll(digests.Select(d => transport.SendAsync(d.ToMessage(), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Sent, r.Outcome));
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_kit.Run);
        IReadOnlyList<ParsedEmail> arrived = await PythonEmail.ParseFilesAsync(files);
        Assert.All(arrived, a => Assert.Equal("BDAT", a.Header("X-Transfer")));
        foreach (DeliveryTestKit.TestDigest sent in digests)
        {
            DeliveryTestKit.AssertArrivedUnchanged(sent, Assert.Single(arrived, a => a.RawHeader("Message-ID") == sent.MessageId));
        }

        await _kit.AssertDkimValidAsync(files);
    }

    [SmtpServerFact]
    public async Task Base64_and_quoted_printable_parts_both_arrive_intact_and_DKIM_signed()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None }, signed: true);
        string abstracts = string.Concat(Enumerable.Repeat("大型语言模型的推理能力。Обучение с подкреплением. نماذج اللغة الكبيرة\n", 60));
        DeliveryTestKit.TestDigest digest = _kit.Digest(0) with { Text = abstracts };

        Assert.Equal(DeliveryOutcome.Sent, (await transport.SendAsync(digest.ToMessage(), CancellationToken.None)).Outcome);

        ParsedEmail arrived = await _kit.AssertArrivedAloneAndSignedAsync(digest);
        Assert.Equal(["base64", "quoted-printable"], arrived.Parts.Select(p => p.TransferEncoding));
    }

    [SmtpServerFact]
    public async Task A_connection_carries_MaxMessagesPerConnection_messages_then_is_replaced()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1, MaxMessagesPerConnection = 2 });

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(DeliveryOutcome.Sent, (await transport.SendAsync(_kit.Digest(i).ToMessage(), CancellationToken.None)).Outcome);
        }

        string[] peers = await PeersInOrderAsync();
        Assert.Equal(5, peers.Length);
        Assert.Equal(peers[0], peers[1]);
        Assert.Equal(peers[2], peers[3]);
        Assert.Equal(3, peers.Distinct().Count());
    }

    [SmtpServerFact(TestServers.MessageLimitVariable)]
    public async Task A_connection_the_server_closed_after_its_own_message_limit_is_replaced_without_deferring_anything()
    {
        (string host, int port) = TestServers.MessageLimit;
        // No limit of our own: the server's 421 and close are found only when the next message tries the connection.
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1, MaxMessagesPerConnection = 0 }, signed: true);

        var results = new List<DeliveryResult>();
        for (int i = 0; i < 7; i++)
        {
            results.Add(await transport.SendAsync(_kit.Digest(i).ToMessage(), CancellationToken.None));
        }

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Sent, r.Outcome));
        string[] peers = await PeersInOrderAsync();
        Assert.Equal(7, peers.Length);
        Assert.Equal(3, peers.Distinct().Count());
        Assert.All(peers.GroupBy(p => p), connection => Assert.InRange(connection.Count(), 1, TestServers.MessagesPerConnection));
        await _kit.AssertDkimValidAsync(TestServers.Maildir.FilesContaining(_kit.Run));
    }

    [SmtpServerFact(TestServers.SmtpUtf8Variable)]
    public async Task A_non_ASCII_address_and_display_name_go_through_a_server_that_offers_SMTPUTF8()
    {
        (string host, int port) = TestServers.SmtpUtf8;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None }, signed: true);
        DeliveryTestKit.TestDigest digest = _kit.Digest(1, localPart: "zoë.žáková.") with { Name = "Zoë Žáková" };

        DeliveryResult result = await transport.SendAsync(digest.ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        IReadOnlyList<string> files = TestServers.Maildir.FilesContaining(_kit.Run);
        ParsedEmail arrived = Assert.Single(await PythonEmail.ParseFilesAsync(files, utf8Headers: true));
        // Python flags every non-ASCII local part, even when reading RFC 6532 headers; nothing else may be wrong.
        Assert.Equal(["To: NonASCIILocalPartDefect: local-part contains non-ASCII characters)"], arrived.Defects);
        DeliveryTestKit.AssertArrivedUnchanged(digest, arrived, utf8Headers: true);
        await _kit.AssertDkimValidAsync(files);
    }

    [SmtpServerFact(TestServers.PostfixVariable)]
    public async Task Postfix_accepts_signed_messages_by_BDAT_over_StartTls()
    {
        (string host, int port) = TestServers.Postfix;
        await using var transport = _kit.Transport(new SmtpOptions
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true, MaxConnections = 2, MaxMessagesPerConnection = 5,
        }, signed: true);

        DeliveryResult[] results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => transport.SendAsync(_kit.Digest(i).ToMessage(), CancellationToken.None)));

        // Postfix offers CHUNKING, and says how many bytes a BDAT transaction brought.
        Assert.All(results, r => Assert.Matches(@"^250 2\.0\.0 Ok: \d+ bytes queued as \w+$", r.Reply));
    }

    [SmtpServerFact]
    public async Task A_message_is_signed_once_even_when_sent_again()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None }, signed: true);
        MimeMessage message = _kit.Digest(0).ToMessage();

        await transport.SendAsync(message, CancellationToken.None);
        await transport.SendAsync(message, CancellationToken.None);

        Assert.Single(message.Headers, h => h.Id == HeaderId.DkimSignature);
        await _kit.AssertDkimValidAsync(TestServers.Maildir.FilesContaining(_kit.Run));
    }

    private async Task<string[]> PeersInOrderAsync() =>
        [.. (await PythonEmail.ParseFilesAsync(TestServers.Maildir.FilesContaining(_kit.Run)))
            .OrderBy(m => m.RawHeader("Message-ID"), StringComparer.Ordinal).Select(m => m.Header("X-Peer"))];
}
