namespace PaperMailer.Deliver;

/// <summary>Hands a message to the outside world: an SMTP server, or the outbox folder.</summary>
public interface IMailTransport
{
    /// <summary>"outbox" or "smtp", for logs and the ledger.</summary>
    string Name { get; }

    /// <summary>How many sends may run at once (the SMTP pool size; 1 for a folder).</summary>
    int MaxConcurrency { get; }

    /// <summary>
    /// Sends one message. Never throws for a delivery problem: the result says whether the message was accepted,
    /// should be retried (temporary: 4xx, unreachable server, timeout), or failed for good (5xx), with the reply.
    /// Throws only <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

public enum DeliveryOutcome { Sent, Deferred, Failed }

/// <param name="Reply">What the server (or folder) said, e.g. "250 2.0.0 Ok: queued as 4Xy" or "Connection refused 127.0.0.1:25".</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string Reply)
{
    public static DeliveryResult Sent(string reply) => new(DeliveryOutcome.Sent, reply);
    public static DeliveryResult Deferred(string reply) => new(DeliveryOutcome.Deferred, reply);
    public static DeliveryResult Failed(string reply) => new(DeliveryOutcome.Failed, reply);
}
