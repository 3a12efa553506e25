using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Rank.Feedback;
using PaperMailer.Rank.Semantic;
using PaperMailer.Tests.Rank.Quality;

namespace PaperMailer.Tests.Rank.Feedback;

/// <summary>nDCG@10 of one judged profile's second digest, without and with the ratings of its first.</summary>
public sealed record SecondDigest(string Profile, double Without, double With, int RelevantLeft, int Liked, int Disliked);

/// <summary>
/// Two digests per judged profile, as a subscriber would get them: the first is the profile's top 10; its top 5 are
/// rated by their judged grade (related or better: "more like this"; not relevant: "less like this"); the second is
/// the top 10 of the papers not sent in the first (a sent paper is never a candidate again), ranked without and with
/// those ratings, and scored by nDCG@10 against the grades of the papers left.
/// </summary>
public static class RatingsSimulation
{
    public const int DigestSize = 10;
    public const int Rated = 5;

    public static IReadOnlyList<SecondDigest> Run(PaperRanker ranker, PaperVectors? vectors = null)
    {
        var index = JudgedSetQuality.Index;
        var rows = new List<SecondDigest>();
        var ratedAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        foreach (var judged in JudgedSet.Profiles())
        {
            var profile = ProfileParser.Parse(judged.Profile);
            var first = ranker.Rank(index, profile, DigestSize, vectors: vectors);
            var sent = first.Select(r => r.Paper.Id).ToHashSet(StringComparer.Ordinal);
            var ratings = first.Take(Rated)
                .Select((r, i) => new RatedPaper(r.Paper, judged.Grades.GetValueOrDefault(r.Paper.Id) > 0 ? Vote.More : Vote.Less, ratedAt.AddMinutes(i)))
                .ToList();
            var left = judged.Grades.Where(g => !sent.Contains(g.Key)).ToDictionary();
            double Second(RankingProfile p) => JudgedSet.Ndcg(
                ranker.Rank(index, p, DigestSize, paper => !sent.Contains(paper.Id), vectors: vectors).Select(r => r.Paper.Id).ToList(), left, DigestSize);
            rows.Add(new SecondDigest(judged.Id, Second(profile), Second(profile with { Ratings = ratings }), left.Count(g => g.Value > 0),
                ratings.Count(r => r.Vote == Vote.More), ratings.Count(r => r.Vote == Vote.Less)));
        }
        return rows;
    }

    public static PaperRanker Lexical() => new(Options.Create(new RankingOptions { Semantic = false }));

    public static PaperRanker Blend(ISentenceEmbedder embedder) => new(Options.Create(new RankingOptions()), new ProfileEmbedder(embedder));

    public static IEnumerable<string> Table(IReadOnlyList<SecondDigest> rows)
    {
        yield return "second digest nDCG@10        without   with   change  relevant left  rated more/less";
        foreach (var r in rows)
        {
            yield return $"{r.Profile,-28} {r.Without,7:0.000} {r.With,6:0.000} {r.With - r.Without,+8:+0.000;-0.000;0.000} {r.RelevantLeft,14} {r.Liked,10}/{r.Disliked}";
        }
        yield return $"{"mean of " + rows.Count,-28} {rows.Average(r => r.Without),7:0.000} {rows.Average(r => r.With),6:0.000} {rows.Average(r => r.With - r.Without),+8:+0.000;-0.000;0.000}";
        yield return $"better {rows.Count(r => r.With > r.Without + 1e-9)}, worse {rows.Count(r => r.With < r.Without - 1e-9)}, same {rows.Count(r => Math.Abs(r.With - r.Without) <= 1e-9)}";
    }
}
