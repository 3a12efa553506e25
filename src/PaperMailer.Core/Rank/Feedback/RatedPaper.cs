using PaperMailer.Domain;

namespace PaperMailer.Rank.Feedback;

/// <summary>
/// A paper the subscriber rated, with the vote (one per subscriber and paper: the latest counts) and when. Its vector,
/// when the caller has it, moves the profile's meaning; a rated paper among the ranked papers lends its own row.
/// </summary>
public sealed record RatedPaper(Paper Paper, Vote Vote, DateTimeOffset RatedAt)
{
    public float[]? Vector { get; init; }
}
