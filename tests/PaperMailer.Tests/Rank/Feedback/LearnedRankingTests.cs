using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Feedback;

namespace PaperMailer.Tests.Rank.Feedback;

/// <summary>How ratings move a ranking: within bounds, never admitting or resending what the profile would not.</summary>
public class LearnedRankingTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions { Semantic = false }));

    private static Paper Paper(string id, string title, string text) => new() { Id = id, Title = title, Abstract = text, Source = PaperSources.Arxiv };

    private static readonly Paper[] Papers =
    [
        Paper("2612.00001", "Graph neural networks for molecules", "We predict molecular properties with graph neural networks over atoms and bonds."),
        Paper("2612.00002", "Graph neural networks for traffic", "Graph neural networks forecast road traffic from sensors on a city grid."),
        Paper("2612.00003", "Message passing for molecular graphs", "A graph neural network learns molecular energies from atoms, bonds and conformers."),
        Paper("2612.00004", "Scaling graph neural networks for city traffic", "Traffic forecasting on city road sensors with large graph neural networks."),
        Paper("2612.00005", "Unrelated: a survey of image codecs", "Image compression codecs compared."),
    ];

    private static readonly PaperIndex Index = PaperIndex.Build(Papers);
    private static readonly RankingProfile Profile = RankingProfile.From(["graph neural networks"], []);

    private static List<string> Ids(RankingProfile profile, int top = 10) => Ranker.Rank(Index, profile, top).Select(r => r.Paper.Id).ToList();

    [Fact]
    public void Liking_a_molecule_paper_and_disliking_a_traffic_one_puts_the_other_molecule_paper_ahead_of_the_other_traffic_one()
    {
        // 2612.00004 is a near-duplicate of 2612.00002, shown once 2612.00002 is out; without ratings it comes first.
        var unrated = Ranker.Rank(Index, Profile, 10, paper => paper.Id != "2612.00002").Select(r => r.Paper.Id).ToList();
        Assert.True(unrated.IndexOf("2612.00004") is >= 0 and var traffic && traffic < unrated.IndexOf("2612.00003"), string.Join(", ", unrated));
        var rated = Profile with { Ratings = [new RatedPaper(Papers[0], Vote.More, At), new RatedPaper(Papers[1], Vote.Less, At)] };

        var ranked = Ids(rated);

        Assert.True(ranked.IndexOf("2612.00003") < ranked.IndexOf("2612.00004"), string.Join(", ", ranked));
        Assert.DoesNotContain("2612.00005", ranked);
    }

    [Fact]
    public void A_disliked_paper_is_never_ranked_again_and_its_like_go_down()
    {
        var rated = Profile with { Ratings = [new RatedPaper(Papers[1], Vote.Less, At)] };

        var ranked = Ids(rated);

        Assert.DoesNotContain("2612.00002", ranked);
        Assert.Equal("2612.00004", ranked[^1]);
    }

    [Fact]
    public void Ratings_move_a_score_by_at_most_half_either_way()
    {
        var without = Ranker.Rank(Index, Profile, 10).ToDictionary(r => r.Paper.Id, r => r.Score);
        var ratings = Papers.Take(3).Select(p => new RatedPaper(p, Vote.More, At)).Append(new RatedPaper(Papers[3], Vote.Less, At)).ToList();

        var with = Ranker.Rank(Index, Profile with { Ratings = ratings }, 10, paper => paper.Id != "2612.00004");

        Assert.NotEmpty(with);
        foreach (var ranked in with)
        {
            var ratio = ranked.Score / without[ranked.Paper.Id];
            Assert.InRange(ratio, 1 - LearnedPreferences.MaxShift - 1e-3, 1 + LearnedPreferences.MaxShift + 1e-3);
        }
    }

    [Fact]
    public void The_words_learned_are_the_liked_papers_distinctive_words()
    {
        var learned = LearnedPreferences.Learn([new RatedPaper(Papers[0], Vote.More, At), new RatedPaper(Papers[1], Vote.Less, At)], Index);

        Assert.Contains(learned.Raised.Take(6), t => t.Word is "molecules" or "molecular" or "atoms" or "bonds");
        Assert.Contains(learned.Lowered.Take(6), t => t.Word is "traffic" or "road" or "sensors" or "city");
        Assert.DoesNotContain(learned.Raised, t => t.Word == "graph");
        Assert.Equal(["Graph neural networks for molecules"], learned.Liked.Select(r => r.Paper.Title));
    }
}
