using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;

namespace PaperMailer.Tests.Deliver.Smtp;

/// <summary>What needs no server; sending is tested against real servers in PaperMailer.IntegrationTests.</summary>
public class SystemNetMailTransportTests
{
    [Fact]
    public void Runs_as_many_sends_at_once_as_it_has_connections()
    {
        using var transport = Transport(new SmtpOptions { MaxConnections = 7 });

        Assert.Equal(("smtp", 7), (transport.Name, transport.MaxConcurrency));
    }

    [Fact]
    public async Task A_malformed_message_fails_before_connecting()
    {
        // Port 9 (discard) on a reserved test address: nothing is contacted because the message is refused first.
        using var transport = Transport(new SmtpOptions { Host = "192.0.2.1", Port = 9 });
        var message = TestMessages.Digest() with { Headers = [new("Message-ID", "<again@example.org>")] };

        DeliveryResult result = await transport.SendAsync(message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Failed, result.Outcome);
        Assert.Contains("Message-ID", result.Reply);
    }

    [Fact]
    public async Task Cancellation_is_thrown_not_reported()
    {
        using var transport = Transport(new SmtpOptions { Host = "192.0.2.1", Port = 9 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => transport.SendAsync(TestMessages.Digest(), new CancellationToken(canceled: true)));
    }

    private static SystemNetMailTransport Transport(SmtpOptions options) =>
        new(Options.Create(options), NullLogger<SystemNetMailTransport>.Instance);
}
