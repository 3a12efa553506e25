using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Rank;

public class ProfileLanguageTests
{
    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions { MinScore = 0 }));

    [Theory]
    [InlineData("\"graph neural", "Unbalanced quote")]
    [InlineData("", "The profile is empty")]
    [InlineData("-graph, -diffusion", "only exclusions")]
    [InlineData("the, of", "no searchable words")]
    public void A_malformed_profile_is_rejected_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<ProfileFormatException>(() => ProfileParser.Parse(text));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Quoted_phrases_exclusions_and_boosts_are_read_from_one_line()
    {
        var profile = ProfileParser.Parse("diffusion, \"speculative decoding, fast\", -graph, cat:cs.LG, author:\"Ada Lovelace\"");

        Assert.Equal(["diffusion", "speculative decoding, fast"], profile.Keywords.Select(k => k.Text));
        Assert.True(profile.Keywords[1].Exact);
        Assert.Equal(["graph"], profile.Exclusions.Select(e => e.Text));
        Assert.Equal(["cs.LG"], profile.Categories);
        Assert.Equal(["ada lovelace"], profile.Authors);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_keyword_or_exclusion_given_again_in_another_spelling_is_kept_once_in_short_and_long_profiles(int distinct)
    {
        // Made-up words analyse to themselves; upper case analyses alike, so it is the same keyword spelled again.
        var words = Enumerable.Range(0, distinct).Select(i => $"zx{(char)('a' + i / 26)}{(char)('a' + i % 26)}").ToList();
        var keywords = words.Concat(words.Select(w => w.ToUpperInvariant())).Concat(words);
        var exclusions = words.Select(w => "q" + w).Concat(words.Select(w => "Q" + w.ToUpperInvariant()));

        var profile = ProfileParser.ParseItems(keywords, exclusions, topics: null);

        Assert.Equal(words, profile.Keywords.Select(k => k.Text));
        Assert.Equal(words.Select(w => "q" + w), profile.Exclusions.Select(e => e.Text));
        Assert.Empty(profile.Categories);
        Assert.Empty(profile.Authors);
    }

    [Fact]
    public void An_acronym_defined_in_one_paper_lets_the_expansion_find_papers_that_only_use_the_acronym_and_back()
    {
        var defines = SamplePapers.Make("2601.00001", "Message passing on molecules", "Graph Neural Networks (GNNs) read molecules.");
        var acronymOnly = SamplePapers.Make("2601.00002", "A GNN for traffic", "We train a GNN on road sensors.");
        var expansionOnly = SamplePapers.Make("2601.00003", "Graph neural networks for proteins", "Folding with graph neural networks.");
        var index = PaperIndex.Build(SamplePapers.Load().Concat([defines, acronymOnly, expansionOnly]));

        var byExpansion = Ranker.Rank(index, ProfileParser.Parse("graph neural networks"), 50);
        var byAcronym = Ranker.Rank(index, ProfileParser.Parse("GNN"), 50);

        var viaAcronym = Assert.Single(byExpansion, r => r.Paper.Id == "2601.00002");
        Assert.Equal("GNN", viaAcronym.Matches[0].Via);
        Assert.True(viaAcronym.Matches[0].InTitle);
        Assert.Contains(byAcronym, r => r.Paper.Id == "2601.00003");
    }

    [Fact]
    public void Hyphenated_spaced_and_closed_compounds_find_each_other()
    {
        var hyphen = SamplePapers.Make("2601.00001", "Self-supervised pretraining", "Labels are not needed.");
        var closed = SamplePapers.Make("2601.00002", "Selfsupervised pretraining revisited", "No labels here.");
        var index = PaperIndex.Build(SamplePapers.Load().Concat([hyphen, closed]));

        var ranked = Ranker.Rank(index, ProfileParser.Parse("self supervised"), 50).Select(r => r.Paper.Id).ToList();

        Assert.Contains("2601.00001", ranked);
        Assert.Contains("2601.00002", ranked);
    }

    [Fact]
    public void Case_folding_is_unicode_aware()
    {
        Assert.Equal(TextAnalyzerTerms("STRASSE ﬁne-tuning"), TextAnalyzerTerms("straße fine-tuning"));
    }

    private static List<string> TextAnalyzerTerms(string text) => PaperMailer.Rank.Text.TextAnalyzer.Terms(text);

    [Fact]
    public void Near_duplicate_papers_collapse_to_the_best_placed_one()
    {
        var first = SamplePapers.Make("2601.00001", "Quantum error correction with surface codes", "We decode surface codes with a neural network and beat matching decoders on noise.");
        var copy = SamplePapers.Make("2601.00002", "Quantum error correction with surface codes", "We decode surface codes with a neural network and beat matching decoders on noise.");
        var index = PaperIndex.Build(SamplePapers.Load().Concat([first, copy]));

        var ranked = Ranker.Rank(index, ProfileParser.Parse("quantum error correction"), 50);

        Assert.Contains(ranked, r => r.Paper.Id == "2601.00001");
        Assert.DoesNotContain(ranked, r => r.Paper.Id == "2601.00002");
    }

    [Fact]
    public void Upvotes_change_order_among_relevant_papers_but_never_which_papers_are_admitted()
    {
        var ranker = new PaperRanker(Options.Create(new RankingOptions { MinScore = 2.0 }));
        var plain = SamplePapers.Load().Select(p => p with { Upvotes = null }).ToList();
        var popular = plain.Select(p => p with { Upvotes = 100000 }).ToList();

        var without = ranker.Rank(PaperIndex.Build(plain), ProfileParser.Parse("sparse attention, decoding"), 50);
        var with = ranker.Rank(PaperIndex.Build(popular), ProfileParser.Parse("sparse attention, decoding"), 50);

        Assert.NotEmpty(without);
        Assert.Equal(without.Select(r => r.Paper.Id).Order(), with.Select(r => r.Paper.Id).Order());
        Assert.All(with, r => Assert.True(r.Relevance >= 2.0 && r.Score <= r.Relevance * 1.1 + 1e-3));
    }
}
