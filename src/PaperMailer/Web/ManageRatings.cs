using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Digest.Composing;
using PaperMailer.Digest.Planning;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Feedback;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Web;

/// <summary>
/// What the subscriber's ratings taught their digests, as the manage page shows it, and its reset button, which
/// forgets every rating.
/// </summary>
public static class ManageRatings
{
    /// <summary>Titles and words listed per side: enough to recognise a taste at a glance.</summary>
    private const int Shown = 8;

    public static RouteGroupBuilder MapManageRatings(this RouteGroupBuilder site)
    {
        site.MapPost("/manage/ratings/reset", async Task<ContentHttpResult> (HttpContext http, string? token, SitePages pages, IAntiforgery antiforgery,
            SubscriberLinks links, ISubscriberStore store, IRatingStore ratings, CancellationToken ct) =>
        {
            if (links.Verify(token, SubscriberLinks.ManagePurpose) is not { } id || await store.GetByIdAsync(id, ct) is not { } subscriber)
                return SubscribeEndpoints.InvalidLink(http, pages);
            if (await SiteForms.ReadGenuineAsync(http, antiforgery, ct) is null)
                return SubscribeEndpoints.ExpiredForm(http, pages, ("/manage?token=" + token, "Back to your settings"));
            var forgotten = await ratings.ClearAsync(subscriber.Id, ct);
            return pages.Message(http, "Ratings reset", StatusCodes.Status200OK, ("/manage?token=" + token, "Back to your settings"),
                forgotten == 0
                    ? "There were no ratings to forget."
                    : $"{forgotten} {(forgotten == 1 ? "rating was" : "ratings were")} forgotten: your next digests rank by your topics and keywords alone.");
        });
        return site;
    }

    /// <summary>
    /// The page's "learned" part: the titles rated more and less like this, and the words that now raise and lower a
    /// paper, weighed against the papers of the latest digest run's window (as a digest would weigh them).
    /// </summary>
    public static async Task<Dictionary<string, object?>> LearnedAsync(Subscriber subscriber, SubscriberRatings ratings, DigestComposer composer, ITopicCatalog topics,
        TimeProvider clock, CancellationToken ct)
    {
        var rated = await ratings.ReadAsync(subscriber.Id, ct);
        var model = new Dictionary<string, object?>
        {
            ["count"] = rated.Count, ["more_like"] = Array.Empty<string>(), ["less_like"] = Array.Empty<string>(),
            ["raised"] = Array.Empty<string>(), ["lowered"] = Array.Empty<string>(),
        };
        if (rated.Count == 0) return model;
        var papers = await composer.LoadAsync(clock.GetUtcNow(), ct);
        var learned = LearnedPreferences.Learn(rated, papers.Index, RankingProfile.For(subscriber.Profile, topics.All));
        model["more_like"] = learned.Liked.Take(Shown).Select(r => r.Paper.Title).ToList();
        model["less_like"] = learned.Disliked.Take(Shown).Select(r => r.Paper.Title).ToList();
        model["raised"] = learned.Raised.Take(Shown).Select(t => t.Word).ToList();
        model["lowered"] = learned.Lowered.Take(Shown).Select(t => t.Word).ToList();
        return model;
    }
}
