using System.Net;
using System.Net.Sockets;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>
/// Refusals and faults from a real server (the test sink refuses, defers, throttles, drops and stalls chosen
/// recipients): each becomes the outcome the digest run acts on, with the server's words and codes, and the pool
/// goes on sending.
/// </summary>
public sealed class SmtpFaultTests : IDisposable
{
    private readonly DeliveryTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [SmtpServerFact]
    public async Task Each_refusal_and_fault_is_reported_with_the_servers_words_and_codes_and_the_next_message_still_goes()
    {
        (string host, int port) = TestServers.Smtp;
        string run = _kit.Run;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, MaxConnections = 1 });
        async Task<DeliveryResult> SendTo(string prefix, int i) =>
            await transport.SendAsync(_kit.Digest(i, localPart: prefix).ToMessage(), CancellationToken.None);

        DeliveryResult rejected = await SendTo("reject-", 0);
        DeliveryResult deferred = await SendTo("defer-", 1);
        DeliveryResult throttled = await SendTo("throttle-", 2);
        DeliveryResult busy = await SendTo("busy-", 3);
        DeliveryResult dropped = await SendTo("drop-", 4);
        DeliveryResult cut = await SendTo("cut-", 5);
        DeliveryResult sent = await SendTo("ok-", 6);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Failed, $"550 5.1.1 <reject-{run}@example.org>: Recipient address rejected: test sink refuses reject-*", 550, "5.1.1")
            { RecipientRefused = true }, rejected);
        Assert.Equal(new DeliveryResult(DeliveryOutcome.Deferred, $"450 4.2.1 <defer-{run}@example.org>: Mailbox busy: test sink defers defer-*", 450, "4.2.1"), deferred);
        Assert.Equal(new DeliveryResult(DeliveryOutcome.Deferred, "421 4.7.0 Too many messages, slow down: test sink throttles throttle-*", 421, "4.7.0"), throttled);
        Assert.Equal(new DeliveryResult(DeliveryOutcome.Deferred, "451 4.3.0 Try again later: test sink is busy for busy-*", 451, "4.3.0"), busy);
        foreach (DeliveryResult lost in new[] { dropped, cut })
        {
            Assert.Equal(DeliveryOutcome.Deferred, lost.Outcome);
            Assert.StartsWith("connection lost: ", lost.Reply);
            Assert.EndsWith($"({host}:{port})", lost.Reply);
            Assert.Null(lost.StatusCode);
        }

        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        Assert.Equal($"ok-{run}@example.org", (await PythonEmail.ParseFilesAsync(TestServers.Maildir.FilesContaining(run))).Single().Header("X-Original-To"));
    }

    [SmtpServerFact]
    public async Task A_server_slower_than_the_timeout_defers_and_cancellation_is_honoured()
    {
        (string host, int port) = TestServers.Smtp;
        // The sink answers slow-* recipients after 5 seconds; one second is ample for connecting even on a busy machine.
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(1) });
        DeliveryTestKit.TestDigest slow = _kit.Digest(0, localPart: "slow-");

        DeliveryResult timedOut = await transport.SendAsync(slow.ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryResult.Deferred($"no answer from {host}:{port} within 1 s while sending the message (Smtp:Timeout)"), timedOut);

        await using var patient = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromMinutes(1) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.SendAsync(slow.ToMessage(), cancel.Token));
        Assert.Empty(TestServers.Maildir.FilesContaining(_kit.Run));
    }

    [SmtpServerFact]
    public async Task A_non_ASCII_address_fails_clearly_when_the_server_does_not_offer_SMTPUTF8()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.None });
        DeliveryTestKit.TestDigest international = _kit.Digest(0, localPart: "zoë.");

        DeliveryResult result = await transport.SendAsync(international.ToMessage(), CancellationToken.None);
        DeliveryResult next = await transport.SendAsync(_kit.Digest(1).ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryResult.Failed($"not sent: the address {international.Email} needs SMTPUTF8, which {host}:{port} does not offer "
            + "(a limit of the mail server, not the recipient's fault: send through a server that offers SMTPUTF8)"), result);
        Assert.False(result.IsRecipientsFault);
        Assert.Equal(DeliveryOutcome.Sent, next.Outcome);
        Assert.Single(TestServers.Maildir.FilesContaining(_kit.Run));
    }

    [Fact]
    public async Task An_unreachable_server_defers_instead_of_throwing()
    {
        int closedPort = ClosedLocalPort();
        await using var transport = _kit.Transport(new SmtpOptions { Host = "127.0.0.1", Port = closedPort, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) });

        DeliveryResult result = await transport.SendAsync(_kit.Digest(0).ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryResult.Deferred($"Connection refused (127.0.0.1:{closedPort})"), result);
    }

    /// <summary>A local port nobody listens on: bound and released, so connecting is refused at once.</summary>
    private static int ClosedLocalPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
