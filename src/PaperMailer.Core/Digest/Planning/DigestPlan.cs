using PaperMailer.Domain;

namespace PaperMailer.Digest.Planning;

/// <summary>
/// A digest to decide: for whom, for which local date, and its window of candidates, the papers first collected in
/// [<paramref name="WindowFrom"/>, <paramref name="CutoffAt"/>).
/// </summary>
/// <param name="GapStart">When recording it, no standing digest of the subscriber may be newer than this.</param>
public sealed record DigestPlan(Subscriber Subscriber, DateOnly Date, DateTimeOffset WindowFrom, DateTimeOffset CutoffAt, DateTimeOffset GapStart)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>Papers of the run that the subscriber already holds in a digest: never candidates again.</summary>
    public IReadOnlySet<string> SentPapers { get; init; } = None;

    /// <summary>The subscriber's ratings, which their ranking learns from (<see cref="Rank.RankingProfile.Ratings"/>).</summary>
    public IReadOnlyList<Rank.Feedback.RatedPaper> Ratings { get; init; } = [];

    /// <summary>The subscriber was never given a digest: this one says "first digest", not "since your last digest".</summary>
    public bool FirstDigest { get; init; }
}
