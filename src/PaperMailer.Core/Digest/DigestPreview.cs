using PaperMailer.Digest.Composing;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Digest;

/// <summary>
/// The digest a subscriber would get now (or for a past date), by the same window and composer as a real run;
/// records and sends nothing. Used by `preview`, `send-test` and the operator page.
/// </summary>
public sealed class DigestPreview(DigestPlanner planner, DigestComposer composer, IDeliveryLedger ledger, TimeProvider clock, SubscriberRatings ratings)
{
    public async Task<(RenderedDigest? Digest, DigestPapers Papers)> PreviewAsync(Subscriber subscriber, DateOnly? date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var now = clock.GetUtcNow();
        var today = DigestCalendar.LocalToday(subscriber, now);
        var day = date ?? today;
        var history = (await ledger.ReadHistoryAsync(subscriber.Id - 1, 1, cancellationToken)).FirstOrDefault(h => h.Subscriber.Id == subscriber.Id);
        var sent = await ledger.GetSentPaperIdsAsync([subscriber.Id], planner.OldestCandidate(now), cancellationToken);
        var plan = planner.Window(subscriber, day, history?.LatestStanding, now, now, pastDate: day < today, history?.UnservedSince)
            with
            {
                SentPapers = sent.GetValueOrDefault(subscriber.Id) ?? new HashSet<string>(), FirstDigest = history is not { EverGiven: true },
                Ratings = await ratings.ReadAsync(subscriber.Id, cancellationToken),
            };
        var run = await composer.LoadAsync(now, cancellationToken);
        var profile = composer.ProfileOf(plan);
        await composer.PrepareAsync([profile], run, cancellationToken);
        var ranked = composer.Rank(plan, run, profile);
        if (ranked.Count == 0) return (null, ranked);
        composer.Validate();
        return (composer.Render(subscriber, day, ranked, new DigestEdition(FirstDigest: plan.FirstDigest)).Rendered, ranked);
    }
}
