using MimeKit;

namespace PaperMailer.Deliver;

/// <summary>Hands a message to the outside world: an SMTP server, or the outbox folder.</summary>
public interface IMailTransport
{
    /// <summary>"outbox" or "smtp", for logs and the ledger.</summary>
    string Name { get; }

    /// <summary>How many sends may run at once (the SMTP pool size; 1 for a folder).</summary>
    int MaxConcurrency { get; }

    /// <summary>
    /// Sends one message: its From is the sender and its one To the recipient. The transport DKIM-signs the message
    /// when DKIM is configured (adding a DKIM-Signature header to it), so a message is given to one send only.
    /// Never throws for a delivery problem: the result says whether the message was accepted, should be retried
    /// (temporary: 4xx, unreachable server, timeout), or failed for good (5xx), with the reply.
    /// Throws only <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    Task<DeliveryResult> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
