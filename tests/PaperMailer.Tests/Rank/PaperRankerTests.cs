using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Rank;

public class PaperRankerTests
{
    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions()));

    private static IReadOnlyList<RankedPaper> Rank(IEnumerable<Paper> papers, string[] keywords, string[]? exclude = null, int top = 10, double? minScore = null)
    {
        var ranker = minScore is { } m ? new PaperRanker(Options.Create(new RankingOptions { MinScore = m })) : Ranker;
        return ranker.Rank(PaperIndex.Build(papers), RankingProfile.From(keywords, exclude ?? []), top);
    }

    /// <summary>Filler so that document frequencies resemble a real day rather than a three-paper corpus.</summary>
    private static IEnumerable<Paper> Background() => SamplePapers.Load();

    [Fact]
    public void Stemming_lets_a_plural_keyword_find_the_singular_in_a_title()
    {
        var target = SamplePapers.Make("2601.00001", "A graph network for molecules", "We propose a network that reads molecular graphs.");

        var ranked = Rank(Background().Append(target), ["graph networks"]);

        Assert.Equal("2601.00001", ranked[0].Paper.Id);
        Assert.Equal(["graph networks"], ranked[0].Matched);
    }

    [Fact]
    public void Each_profile_is_told_its_own_spelling_of_a_keyword_another_profile_on_the_same_papers_asked_for_first()
    {
        var target = SamplePapers.Make("2601.00001", "A graph network for molecules", "We propose a network that reads molecular graphs.");
        var index = PaperIndex.Build(Background().Append(target));

        var first = Ranker.Rank(index, RankingProfile.From(["Graph Networks"], []), 1);
        var second = Ranker.Rank(index, RankingProfile.From(["graph network"], []), 1);

        Assert.Equal(["Graph Networks"], first[0].Matched);
        Assert.Equal("Graph Networks", first[0].Matches[0].Keyword);
        Assert.Equal(["graph network"], second[0].Matched);
        Assert.Equal("graph network", second[0].Matches[0].Keyword);
        Assert.Equal(first[0].Score, second[0].Score);
    }

    [Theory]
    [InlineData("state art", "state of the art")]
    [InlineData("state of the art", "state art")]
    public void Spellings_that_analyse_alike_but_close_up_differently_rank_as_on_their_own_whichever_was_asked_first(string first, string second)
    {
        // Both are the terms "state art"; the closed compound comes from the words as typed: "stateoftheart", "stateart".
        var papers = Background()
            .Append(SamplePapers.Make("2601.00001", "A stateoftheart parser for molecules", "We parse molecular graphs quickly."))
            .Append(SamplePapers.Make("2601.00002", "A stateart parser for proteins", "We parse protein graphs quickly."))
            .ToList();
        var shared = PaperIndex.Build(papers);

        var rankedFirst = Ranker.Rank(shared, RankingProfile.From([first], []), 5);
        var rankedSecond = Ranker.Rank(shared, RankingProfile.From([second], []), 5);

        Assert.Equal(Describe(Ranker.Rank(PaperIndex.Build(papers), RankingProfile.From([first], []), 5)), Describe(rankedFirst));
        Assert.Equal(Describe(Ranker.Rank(PaperIndex.Build(papers), RankingProfile.From([second], []), 5)), Describe(rankedSecond));
        Assert.Contains(rankedFirst.Concat(rankedSecond), r => r.Paper.Id == "2601.00001" && r.Matches.Any(m => m.Via == "stateoftheart"));
        Assert.Contains(rankedFirst.Concat(rankedSecond), r => r.Paper.Id == "2601.00002" && r.Matches.Any(m => m.Via == "stateart"));

        static string[] Describe(IReadOnlyList<RankedPaper> ranked) =>
            ranked.Select(r => $"{r.Paper.Id} {r.Score} {string.Join("|", r.Matches.Select(m => $"{m.Keyword}/{m.Via}/{m.InTitle}/{m.InAbstract}"))}").ToArray();
    }

    [Fact]
    public void A_quoted_phrase_matches_only_papers_where_its_words_stand_together()
    {
        var together = SamplePapers.Make("2601.00001", "Speculative decoding made simple", "Faster decoding.");
        var apart = SamplePapers.Make("2601.00002", "Speculative sampling for decoding", "Drafts, then decoding.");
        var one = SamplePapers.Make("2601.00003", "Decoding brain signals", "We decode EEG.");

        var ranked = Rank(Background().Concat([together, apart, one]), ["\"speculative decoding\""], minScore: 0);

        Assert.Equal(["2601.00001"], ranked.Select(r => r.Paper.Id).Where(id => id.StartsWith("2601.")));
    }

    [Fact]
    public void Unquoted_words_together_outrank_the_same_words_apart_which_outrank_only_some_of_them()
    {
        // Different enough not to be near-duplicates, alike in length and in how often each word occurs.
        var together = SamplePapers.Make("2601.00001", "Speculative decoding for drafts", "Quick chemistry tables.");
        var apart = SamplePapers.Make("2601.00002", "Speculative drafts for decoding", "Slow geology maps.");
        var one = SamplePapers.Make("2601.00003", "Drafts for decoding", "Cheap astronomy charts.");

        var ranked = Rank(Background().Concat([together, apart, one]), ["speculative decoding"], minScore: 0);

        Assert.Equal(["2601.00001", "2601.00002", "2601.00003"], ranked.Select(r => r.Paper.Id).Where(id => id.StartsWith("2601.")));
    }

    [Fact]
    public void Exclusions_remove_whole_terms_only_never_substrings()
    {
        var graph = SamplePapers.Make("2601.00001", "Graph transformers for radiology", "A graph model of radiology reports.");
        var radiography = SamplePapers.Make("2601.00002", "Transformers for radiography", "Chest radiography with transformers.");

        var ranked = Rank(Background().Concat([graph, radiography]), ["transformers"], exclude: ["graph"], minScore: 0);

        Assert.DoesNotContain(ranked, r => r.Paper.Id == "2601.00001");
        Assert.Contains(ranked, r => r.Paper.Id == "2601.00002");
    }

    [Fact]
    public void Papers_below_the_minimum_score_are_left_out()
    {
        // "model" appears in most sample abstracts, so it carries almost no weight.
        var weakOnly = Rank(Background(), ["model"]);
        var strong = Rank(Background(), ["sparse attention"]);

        Assert.Empty(weakOnly);
        Assert.Equal("2606.13392", strong[0].Paper.Id);
    }

    [Fact]
    public void Ranking_is_deterministic_and_ties_go_to_the_lower_id()
    {
        // Same length and same keyword evidence, different enough not to be near-duplicates of each other.
        var a = SamplePapers.Make("2601.00002", "Quantum error correction", "Surface codes.");
        var b = SamplePapers.Make("2601.00001", "Quantum error correction", "Colour codes.");
        var papers = Background().Concat([a, b]).ToList();

        var first = Rank(papers, ["quantum error correction"]);
        var second = Rank(papers.AsEnumerable().Reverse(), ["quantum error correction"]);

        Assert.Equal(["2601.00001", "2601.00002"], first.Take(2).Select(r => r.Paper.Id));
        Assert.Equal(first.Select(r => (r.Paper.Id, r.Score)), second.Select(r => (r.Paper.Id, r.Score)));
    }

    [Fact]
    public void A_title_match_outranks_the_same_word_in_passing_in_an_abstract()
    {
        var inTitle = SamplePapers.Make("2601.00002", "Zeppelin fleets in the wild", "We fly many aircraft together.");
        var inAbstract = SamplePapers.Make("2601.00001", "Flight control at scale", "We also mention a zeppelin once while discussing aircraft.");

        var ranked = Rank(Background().Concat([inTitle, inAbstract]), ["zeppelin"], minScore: 0);

        Assert.Equal("2601.00002", ranked[0].Paper.Id);
    }

    [Fact]
    public void Top_limits_the_number_of_papers()
    {
        var ranked = Rank(Background(), ["LLM", "agents", "reasoning", "visual"], top: 3);
        Assert.Equal(3, ranked.Count);
    }
}
