using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Tests.Rank.Quality;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Rank;

/// <summary>
/// The ranker has a vectorised path (plain profiles) and a paper-by-paper path (a digest's eligibility filter,
/// category or author boosts); keywords keep their scores sparse or, when common, also dense. All of them must give
/// the same papers with the same scores.
/// </summary>
public class RankerPathsTests
{
    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions()));

    public static TheoryData<string> Profiles() =>
    [
        "graph neural networks, molecule",
        "language model, reasoning, -math",
        "diffusion, video generation, \"text to video\", image",
        "speech, music, audio generation, -speech recognition",
        "agents, tool use, benchmark",
    ];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Vectorised_and_paper_by_paper_paths_rank_alike(string text)
    {
        var index = PaperIndex.Build(JudgedSet.Papers());
        var profile = ProfileParser.Parse(text);

        var fast = Ranker.Rank(index, profile, 20);
        var scalar = Ranker.Rank(index, profile, 20, eligible: _ => true);
        var unthresholded = Ranker.Rank(index, profile, 200, applyThreshold: false);

        Assert.NotEmpty(fast);
        Assert.Equal(scalar.Select(r => (r.Paper.Id, r.Score, r.Relevance)), fast.Select(r => (r.Paper.Id, r.Score, r.Relevance)));
        Assert.Equal(scalar.Select(r => string.Join('|', r.Matched)), fast.Select(r => string.Join('|', r.Matched)));
        // The unthresholded list starts with the same papers and goes on with weaker ones, still best first.
        Assert.Equal(fast.Select(r => r.Paper.Id), unthresholded.Take(fast.Count).Select(r => r.Paper.Id));
        Assert.True(unthresholded.Zip(unthresholded.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Near_duplicates_crowding_the_best_places_do_not_shorten_the_list()
    {
        // Twelve copies of the best match fill the vectorised path's first guess at the top five; they collapse to
        // one, and the remaining places must still go to the next best papers, as on the paper-by-paper path.
        var copies = Enumerable.Range(1, 12).Select(i => SamplePapers.Make($"2601.{i:00000}",
            "Graph neural networks for molecule property prediction", "Graph neural networks predict molecule properties from graph structure."));
        var index = PaperIndex.Build(JudgedSet.Papers().Concat(copies));
        var profile = ProfileParser.Parse("graph neural networks, molecule");

        var fast = Ranker.Rank(index, profile, 5);
        var scalar = Ranker.Rank(index, profile, 5, eligible: _ => true);

        Assert.Equal(5, fast.Count);
        Assert.Single(fast, r => r.Paper.Id.StartsWith("2601."));
        Assert.Equal(scalar.Select(r => (r.Paper.Id, r.Score, r.Relevance)), fast.Select(r => (r.Paper.Id, r.Score, r.Relevance)));
    }
}
