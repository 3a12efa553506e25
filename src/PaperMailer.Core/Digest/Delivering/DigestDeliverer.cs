using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Bounces;
using PaperMailer.Deliver;
using MimeKit;
using PaperMailer.Digest.Composing;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Digest.Delivering;

/// <summary>
/// The delivery step: builds a claimed digest's email (<see cref="BuildMessage"/>: From and Message-ID from
/// <see cref="MailMessageFactory"/>, the Message-ID the ledger holds for every attempt), keeps to the global rate and the
/// per-domain limit, hands it to the transport and passes the outcome to the group commit. Sends run without the
/// caller's cancellation: an attempt that has begun is finished and recorded.
/// </summary>
public sealed partial class DigestDeliverer(IMailTransport transport, MailMessageFactory messages, RecipientDomainLimiter domains,
    IDeliveryLedger ledger, AttemptPolicy policy, DigestMetrics metrics, TimeProvider clock, IOptions<DeliveryOptions> deliveryOptions, IOptions<DigestOptions> digestOptions,
    BounceReturnPath returnPaths, ILogger<DigestDeliverer> logger)
{
    private readonly DeliveryOptions _delivery = deliveryOptions.Value;
    private readonly DigestOptions _digest = digestOptions.Value;

    /// <summary>Sends at once: the transport's connections (1 for the outbox).</summary>
    public int Concurrency => Math.Max(1, transport.MaxConcurrency);

    /// <summary>The pacing of one run that has 1 / <paramref name="shares"/> of the configured rate limits.</summary>
    internal SendPacer StartPacer(int shares) => new(_delivery, shares, clock);

    internal OutcomeRecorder StartRecorder(string claimantId, DigestRunStages stages) =>
        new(ledger, transport, claimantId, _digest.CommitGroupSize, _digest.CommitInterval, stages, logger);

    /// <summary>
    /// The email of a claimed digest. Called by the threads that render (on every core): building a message (encoding
    /// its parts) on the thread that sends would leave the outbox, which writes one file at a time, waiting on it.
    /// </summary>
    public MimeMessage BuildMessage(DigestDelivery delivery, Subscriber subscriber, RenderedDigest rendered, string unsubscribeUrl)
    {
        var message = messages.CreateDigest(subscriber.Name, delivery.Email, rendered.Subject, rendered.Text, rendered.Html, delivery.MessageId, unsubscribeUrl, delivery.CreatedAt);
        // With Bounces:Address set, what comes back about this digest names it (VERP).
        if (returnPaths.For(delivery.Id) is { } returnPath) MessageEnvelope.SetReturnPath(message, returnPath);
        return message;
    }

    /// <summary>One attempt of a digest this run has claimed; its outcome is recorded by <paramref name="recorder"/>.</summary>
    internal async Task DeliverAsync(ComposedDigest digest, DigestClaimant claimant, SendPacer pacer, OutcomeRecorder recorder, DigestRunStages stages, Action<AttemptOutcome, ComposedDigest> recorded,
        Action<ComposedDigest> lost)
    {
        var delivery = digest.Delivery;
        using var message = digest.Message;
        using var place = await domains.EnterAsync(delivery.Email, CancellationToken.None);
        await pacer.WaitTurnAsync(delivery.Email, CancellationToken.None);
        await recorder.EnterAsync();
        // A claim that waited long (a slow server ahead of it) is renewed first; if its lease ran out and another run
        // took the digest over meanwhile, the digest is that run's now.
        var now = clock.GetUtcNow();
        if (now - delivery.UpdatedAt > claimant.Lease / 2)
        {
            bool renewed;
            using (stages.Measure(DigestRunStage.Ledger)) renewed = await ledger.RenewAsync(delivery.Id, claimant.At(now), CancellationToken.None);
            if (!renewed)
            {
                recorder.Leave();
                lost(digest);
                return;
            }
        }
        DeliveryResult result;
        var sendStarted = Stopwatch.GetTimestamp();
        using (stages.Measure(DigestRunStage.Send))
        {
            result = transport is IGroupCommitTransport grouped
                ? await grouped.SendUncommittedAsync(message, CancellationToken.None)
                : await transport.SendAsync(message, CancellationToken.None);
        }
        metrics.Sent(Stopwatch.GetElapsedTime(sendStarted));
        var at = clock.GetUtcNow();
        var (status, reply, next) = policy.Outcome(result, delivery.Attempts, at);
        metrics.Attempted(result, status);
        var suppress = false;
        if (status == DeliveryStatus.Failed && result.IsRecipientsFault && _delivery.SuppressAfterFailures > 0)
        {
            int failures;
            using (stages.Measure(DigestRunStage.Ledger)) failures = await ledger.CountRecipientFailuresAsync(delivery.SubscriberId, delivery.Id, CancellationToken.None) + 1;
            if (failures >= _delivery.SuppressAfterFailures)
            {
                suppress = true;
                reply = $"{reply}; address suppressed (subscriber now bounced) after {failures} permanent failures (Delivery:SuppressAfterFailures={_delivery.SuppressAfterFailures})";
                LogSuppressed(logger, delivery.Email, failures);
            }
        }
        var outcome = new AttemptOutcome(delivery.Id, delivery.SubscriberId, status, reply, result.StatusCode, result.EnhancedStatusCode, at, next,
            RecipientFailure: status == DeliveryStatus.Failed && result.IsRecipientsFault, SuppressSubscriber: suppress);
        LogAttempt(logger, delivery.MessageId, delivery.Email, status, delivery.Attempts, reply);
        recorder.Add(outcome, o => recorded(o, digest));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Digest {MessageId} to {Email}: {Status} after attempt {Attempt}: {Reply}")]
    private static partial void LogAttempt(ILogger logger, string messageId, string email, DeliveryStatus status, int attempt, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suppressed {Email} after {Failures} permanent delivery failures")]
    private static partial void LogSuppressed(ILogger logger, string email, int failures);
}
