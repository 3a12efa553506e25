using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PaperMailer.Domain;
using PaperMailer.Rank.Feedback;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>
/// The "more like this" / "less like this" links of every paper in a digest. GET shows one button and changes nothing
/// (mail scanners and link previews follow links); POST records the vote, replacing the subscriber's earlier vote on
/// the paper. Like unsubscribing, the POST needs no antiforgery token and works without a page (a mail client's
/// one-click POST to the same address): the signed link, which covers subscriber, paper and vote, is the only authority.
/// </summary>
public static class RatingEndpoints
{
    public static RouteGroupBuilder MapRatings(this RouteGroupBuilder site)
    {
        site.MapGet("/rate", async Task<ContentHttpResult> (HttpContext http, string? subscriber, string? paper, string? vote, string? sig, SitePages pages,
            SubscriberLinks links, ISubscriberStore subscribers, IPaperStore papers, CancellationToken ct) =>
        {
            var link = await ReadAsync(subscriber, paper, vote, sig, links, subscribers, papers, ct);
            if (link.Problem is { } problem) return pages.Message(http, problem.Title, problem.Status, problem.Sentence);
            var (who, rated, how) = (link.Subscriber!, link.Paper!, link.Vote);
            return pages.MessageWithAction(http, how == Vote.More ? "More like this?" : "Less like this?", StatusCodes.Status200OK,
                (links.RatePath(who.Id, rated.Id, how), how == Vote.More ? "Yes, more like this" : "Yes, less like this"),
                $"“{rated.Title}”",
                how == Vote.More
                    ? "Confirm, and your next digests rank papers like this one higher."
                    : "Confirm, and your next digests rank papers like this one lower; this paper itself is not sent again.");
        });
        site.MapPost("/rate", async Task<ContentHttpResult> (HttpContext http, string? subscriber, string? paper, string? vote, string? sig, SitePages pages,
            SubscriberLinks links, ISubscriberStore subscribers, IPaperStore papers, IRatingStore ratings, TimeProvider clock, CancellationToken ct) =>
        {
            var link = await ReadAsync(subscriber, paper, vote, sig, links, subscribers, papers, ct);
            if (link.Problem is { } problem) return pages.Message(http, problem.Title, problem.Status, problem.Sentence);
            var (who, rated, how) = (link.Subscriber!, link.Paper!, link.Vote);
            await ratings.RateAsync(new Rating(who.Id, rated.Id, how, clock.GetUtcNow()), ct);
            return pages.Message(http, "Thank you: noted", StatusCodes.Status200OK,
                ("/manage?token=" + links.CreateToken(SubscriberLinks.ManagePurpose, who.Id), "See what your digests learned"),
                $"“{rated.Title}”: {(how == Vote.More ? "more" : "less")} like this.",
                "Your next digests take it into account; you can see and reset what they learned on your settings page.");
        });
        return site;
    }

    private sealed record LinkProblem(string Title, int Status, string Sentence);

    private sealed record RatingLink(Subscriber? Subscriber, Paper? Paper, Vote Vote, LinkProblem? Problem);

    private static readonly LinkProblem NotGenuine = new("This link is not valid", StatusCodes.Status400BadRequest,
        "This rating link is incomplete or was changed; use the link in your email as it is.");

    /// <summary>The link's subscriber, paper and vote when it is ours and both still exist; else what is wrong, in one sentence.</summary>
    private static async Task<RatingLink> ReadAsync(string? subscriber, string? paper, string? vote, string? sig, SubscriberLinks links,
        ISubscriberStore subscribers, IPaperStore papers, CancellationToken ct)
    {
        if (!long.TryParse(subscriber, NumberStyles.None, CultureInfo.InvariantCulture, out var subscriberId) || string.IsNullOrEmpty(paper) || paper.Length > 64
            || Votes.Parse(vote) is not { } how || !links.IsGenuineRating(subscriberId, paper, how, sig))
        {
            return new RatingLink(null, null, default, NotGenuine);
        }
        if (await subscribers.GetByIdAsync(subscriberId, ct) is not { } who)
        {
            return new RatingLink(null, null, how, new("Subscription not found", StatusCodes.Status404NotFound,
                "The subscription this link was made for no longer exists, so nothing was rated."));
        }
        if ((await papers.GetByIdsAsync([paper], ct)).FirstOrDefault() is not { } rated)
        {
            return new RatingLink(who, null, how, new("Paper not found", StatusCodes.Status404NotFound,
                $"Paper {paper} is not stored here, so it cannot be rated."));
        }
        return new RatingLink(who, rated, how, null);
    }
}
