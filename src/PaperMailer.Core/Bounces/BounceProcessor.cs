using Microsoft.Extensions.Logging;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Bounces;

/// <summary>
/// Acts on one report: finds the digest it is about (by the signed return path, else by the reported message's
/// Message-ID in the ledger), then a hard bounce suppresses the address (status Bounced, as repeated SMTP refusals
/// do), a soft bounce is counted, a complaint unsubscribes at once with a consent-log entry. A report that names no
/// digest of ours (a forged or foreign return path) changes nothing. Each report acts once: the actions are
/// idempotent and the report is recorded under its key after them, so a pass that dies half-way repeats nothing.
/// </summary>
public sealed partial class BounceProcessor(BounceReturnPath returnPaths, IBounceLog log, ISubscriberStore subscribers, SubscriptionService subscriptions,
    TimeProvider clock, ILogger<BounceProcessor> logger)
{
    /// <summary>What the consent log says a complaint came from (its "ip" column holds the channel for non-web steps).</summary>
    public const string ComplaintChannel = "bounce-mailbox";

    public async Task<BounceOutcome> ProcessAsync(string reportKey, BounceReport report, CancellationToken cancellationToken)
    {
        if (await log.ContainsAsync(reportKey, cancellationToken)) return new BounceOutcome(BounceAction.AlreadyHandled, null, "handled before");
        var digest = await IdentifyAsync(report, cancellationToken);
        var kind = BounceRecordKinds.Of(report.Kind);
        if (digest is null)
        {
            LogUnmatched(logger, reportKey, report.Kind, string.Join(", ", report.ReturnPaths));
            await RecordAsync(reportKey, BounceRecordKinds.Unmatched, report, null, cancellationToken);
            return new BounceOutcome(BounceAction.Unmatched, null, $"{kind} report about no digest of ours (return paths: {string.Join(", ", report.ReturnPaths.DefaultIfEmpty("none"))}); nothing changed");
        }
        var subscriber = await subscribers.GetByIdAsync(digest.SubscriberId, cancellationToken);
        var (action, says) = subscriber is null
            ? (BounceAction.Nothing, "the subscriber no longer exists")
            : await ActAsync(reportKey, report, subscriber, cancellationToken);
        await RecordAsync(reportKey, kind, report, digest, cancellationToken);
        if (action == BounceAction.Counted)
        {
            says = $"soft bounce counted ({await log.CountAsync(digest.SubscriberId, BounceRecordKinds.Soft, cancellationToken)} so far)";
        }
        LogHandled(logger, reportKey, report.Kind, digest.Email, says);
        return new BounceOutcome(action, digest.Email, says);
    }

    private async Task<(BounceAction, string)> ActAsync(string reportKey, BounceReport report, Subscriber subscriber, CancellationToken cancellationToken)
    {
        switch (report.Kind)
        {
            case BounceKind.HardBounce when subscriber.Status is SubscriberStatus.Active or SubscriberStatus.Paused or SubscriberStatus.Pending:
                await subscribers.SetStatusAsync(subscriber.Id, SubscriberStatus.Bounced, clock.GetUtcNow(), cancellationToken);
                return (BounceAction.Suppressed, $"address suppressed (hard bounce {report.Status}: {report.Detail})");
            case BounceKind.HardBounce:
                return (BounceAction.Nothing, $"hard bounce {report.Status}; the subscriber is already {subscriber.Status.ToString().ToLowerInvariant()}");
            case BounceKind.SoftBounce:
                return (BounceAction.Counted, "");
            case BounceKind.Complaint when subscriber.Status != SubscriberStatus.Unsubscribed:
                await subscriptions.UnsubscribeAsync(subscriber,
                    $"complaint: the reader reported a digest as {report.Status} to their mailbox provider (feedback report {reportKey})",
                    ComplaintChannel, report.Detail, cancellationToken);
                return (BounceAction.Unsubscribed, $"unsubscribed after a complaint (Feedback-Type: {report.Status})");
            case BounceKind.Complaint:
                return (BounceAction.Nothing, "complaint; the subscriber had already unsubscribed");
            default:
                return (BounceAction.Nothing, $"{BounceRecordKinds.Of(report.Kind)} report; nothing to do");
        }
    }

    private async Task<BouncedDigest?> IdentifyAsync(BounceReport report, CancellationToken cancellationToken)
    {
        foreach (var address in report.ReturnPaths)
        {
            if (returnPaths.Read(address) is { } deliveryId && await log.FindDigestAsync(deliveryId, cancellationToken) is { } digest) return digest;
        }
        // Reports whose return path was rewritten or left out (some feedback loops) still carry the reported message.
        // Our Message-IDs hold 48 random bits, so only someone who saw the message can name one.
        return report.OriginalMessageId is { Length: > 0 } messageId
            ? await log.FindDigestByMessageIdAsync($"<{messageId}>", cancellationToken)
            : null;
    }

    private Task RecordAsync(string reportKey, string kind, BounceReport report, BouncedDigest? digest, CancellationToken cancellationToken) =>
        log.AddAsync(new BounceRecord(reportKey, kind, digest?.DeliveryId, digest?.SubscriberId, report.Recipient, report.Status, Shorten(report.Detail), clock.GetUtcNow()), cancellationToken);

    private static string? Shorten(string? text) => text is { Length: > 500 } ? text[..500] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bounce report {ReportKey} ({Kind}) about {Email}: {Outcome}")]
    private static partial void LogHandled(ILogger logger, string reportKey, BounceKind kind, string email, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bounce report {ReportKey} ({Kind}) names no digest of ours (return paths: {ReturnPaths}); nothing changed")]
    private static partial void LogUnmatched(ILogger logger, string reportKey, BounceKind kind, string returnPaths);
}

public enum BounceAction { Suppressed, Counted, Unsubscribed, Nothing, Unmatched, AlreadyHandled }

/// <param name="Email">The subscriber the report was about, when it was about one of our digests.</param>
/// <param name="Says">One line for the operator.</param>
public sealed record BounceOutcome(BounceAction Action, string? Email, string Says);

/// <summary>The kind column of the bounce log.</summary>
public static class BounceRecordKinds
{
    public const string Hard = "hard";
    public const string Soft = "soft";
    public const string Delivered = "delivered";
    public const string Complaint = "complaint";
    public const string Feedback = "feedback";
    public const string Unmatched = "unmatched";

    public static string Of(BounceKind kind) => kind switch
    {
        BounceKind.HardBounce => Hard,
        BounceKind.SoftBounce => Soft,
        BounceKind.Delivered => Delivered,
        BounceKind.Complaint => Complaint,
        _ => Feedback,
    };
}
