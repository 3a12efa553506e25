using PaperMailer.Digest.Composing;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Digest.Archive;

/// <summary>
/// A recorded digest shown in the browser: the papers the ledger says it had, in its order, rendered by the same
/// composer and templates as its email (its HTML part). Never a new selection: a paper is read back, not ranked in.
/// </summary>
public sealed class DigestWebCopy(IDigestArchive archive, ISubscriberStore subscribers, DigestComposer composer)
{
    /// <summary>The digest's HTML, or why there is none to show.</summary>
    public async Task<WebCopy> RenderAsync(long deliveryId, CancellationToken cancellationToken)
    {
        if (await archive.GetAsync(deliveryId, cancellationToken) is not { PaperIds.Count: > 0 } delivery) return new WebCopy(WebCopyOutcome.NotFound, null, null);
        if (await subscribers.GetByIdAsync(delivery.SubscriberId, cancellationToken) is not { } subscriber) return new WebCopy(WebCopyOutcome.NotFound, null, null);
        if (subscriber.Status == SubscriberStatus.Unsubscribed) return new WebCopy(WebCopyOutcome.Unsubscribed, subscriber, null);
        var papers = await composer.RecordedAsync(subscriber, delivery, null, cancellationToken);
        var first = await archive.IsFirstAsync(subscriber.Id, delivery.Id, cancellationToken);
        composer.Validate();
        var (rendered, _) = composer.Render(subscriber, delivery.DigestDate, papers, new DigestEdition(delivery.Id, first, InBrowser: true));
        return new WebCopy(WebCopyOutcome.Shown, subscriber, rendered.Html);
    }
}

public enum WebCopyOutcome
{
    Shown,
    /// <summary>No digest with papers has that id (or its subscriber is gone).</summary>
    NotFound,
    /// <summary>Its subscriber unsubscribed: their digests are no longer shown.</summary>
    Unsubscribed,
}

public sealed record WebCopy(WebCopyOutcome Outcome, Subscriber? Subscriber, string? Html);
