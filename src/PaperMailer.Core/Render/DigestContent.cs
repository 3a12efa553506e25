using PaperMailer.Domain;
using PaperMailer.Rank;

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
}
