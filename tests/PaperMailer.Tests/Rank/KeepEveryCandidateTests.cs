using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Tests.Rank.Quality;

namespace PaperMailer.Tests.Rank;

/// <summary>
/// Ranking asked for every paper (as the semantic blend asks the lexical ranker) sorts its candidates once instead of
/// inserting each in order: it must keep exactly what the insertion keeps, in the same order, near-duplicates included.
/// </summary>
public class KeepEveryCandidateTests
{
    [Fact]
    public void Asking_for_every_paper_ranks_exactly_as_asking_for_one_fewer_does()
    {
        var index = JudgedSetQuality.Index;
        var ranker = new PaperRanker(Options.Create(new RankingOptions()));
        var compared = 0;
        foreach (var judged in JudgedSet.Profiles())
        {
            var profile = ProfileParser.Parse(judged.Profile);
            var all = ranker.Rank(index, profile, index.Papers.Count, applyThreshold: false);
            var inserted = ranker.Rank(index, profile, index.Papers.Count - 1, applyThreshold: false);

            Assert.Equal(inserted.Select(r => (r.Paper.Id, r.Score, r.Relevance)), all.Take(inserted.Count).Select(r => (r.Paper.Id, r.Score, r.Relevance)));
            Assert.True(all.Count - inserted.Count <= 1);
            compared += inserted.Count;
        }
        Assert.True(compared > 100, $"Only {compared} ranked papers were compared.");
    }
}
