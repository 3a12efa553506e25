using MimeKit;

namespace PaperMailer.Deliver;

/// <summary>
/// A transport that can make messages durable in groups: <see cref="SendUncommittedAsync"/> hands a message over without
/// waiting for the disk, and <see cref="CommitAsync"/> then makes every message handed over so far durable at once.
/// The digest run records a group of outcomes only after committing it, so one flush serves many digests.
/// </summary>
public interface IGroupCommitTransport : IMailTransport
{
    /// <summary>Like <see cref="IMailTransport.SendAsync"/>, but the message is durable (and visible) only after the next <see cref="CommitAsync"/>.</summary>
    Task<DeliveryResult> SendUncommittedAsync(MimeMessage message, CancellationToken cancellationToken);

    /// <summary>Makes every message handed over by <see cref="SendUncommittedAsync"/> before this call durable.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
