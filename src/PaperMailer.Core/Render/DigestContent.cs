using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Feedback;

namespace PaperMailer.Render;

/// <summary>Everything one digest shows: who it is for, which day, which papers and why, and the links it carries.</summary>
public sealed record DigestContent(
    Subscriber Subscriber,
    DateOnly DigestDate,
    IReadOnlyList<RankedPaper> Papers,
    string UnsubscribeUrl,
    string? ManageUrl = null)
{
    /// <summary>The "Trending today" section, after <see cref="Papers"/>: most upvoted first; empty unless the subscriber chose it.</summary>
    public IReadOnlyList<RankedPaper> Trending { get; init; } = [];

    /// <summary>The digest's web copy ("View in browser"); null in a preview and in the web copy itself.</summary>
    public string? WebUrl { get; init; }

    /// <summary>The subscriber's personal Atom feed.</summary>
    public string? FeedUrl { get; init; }

    /// <summary>
    /// The signed "more like this" / "less like this" link of a paper (by id) for this subscriber; null where a digest
    /// carries none (a preview, a test send).
    /// </summary>
    public Func<string, Vote, string>? RatingUrl { get; init; }

    /// <summary>The subscriber was given no digest before this one.</summary>
    public bool FirstDigest { get; init; }
}
