using Microsoft.Extensions.Options;
using PaperMailer.Rank;
using PaperMailer.Rank.Text;
using PaperMailer.Tests.Rank.Quality;

namespace PaperMailer.Tests.Rank;

/// <summary>
/// Every explanation the ranker gives is true of the paper's title and abstract, as the ranker's own analyser reads
/// them: a keyword named as matched has each of its words there (or the form of it the paper uses: its closed compound,
/// an acronym the papers define for it), a partial match names only words that are there, and a keyword that is
/// there only in part is never named as matched.
/// </summary>
public class HonestExplanationTests
{
    private static PaperIndex Index => JudgedSetQuality.Index;
    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions()));

    [Fact]
    public void The_image_generation_paper_is_not_said_to_match_retrieval_augmented_generation_or_tool_use()
    {
        // Issue 12: sent as "Matched: retrieval augmented generation, tool use"; its abstract has neither "retrieval"
        // nor "augmented" nor "tool".
        var profile = ProfileParser.Parse("retrieval augmented generation, tool use");

        var paper = Ranker.Rank(Index, profile, Index.Papers.Count, applyThreshold: false).Single(r => r.Paper.Id == "2606.12575");

        Assert.Empty(paper.Matched);
        Assert.Equal(["generation", "use"], paper.Partly);
        Assert.Equal("Partly matched: generation, use", PaperExplanation.Describe(paper));
        Assert.All(paper.Matches, m => Assert.True(m.Partial));
    }

    [Fact]
    public void A_paper_with_one_keyword_whole_and_another_in_part_names_the_first_as_matched_and_the_other_as_partly()
    {
        var profile = ProfileParser.Parse("image generation, retrieval augmented generation");

        var paper = Ranker.Rank(Index, profile, Index.Papers.Count).Single(r => r.Paper.Id == "2606.12575");

        Assert.Equal(["image generation"], paper.Matched);
        Assert.Equal(["generation"], paper.Partly);
        Assert.Equal("Matched: image generation; partly: generation", PaperExplanation.Describe(paper));
    }

    [Fact]
    public void Every_explanation_of_every_judged_profile_is_true_of_the_papers_text()
    {
        var (matched, partly, _) = CheckEveryExplanation(profile => Ranker.Rank(Index, profile, Index.Papers.Count));

        // Both kinds occur in the judged set, or this test would prove nothing.
        Assert.True(matched > 100, $"Only {matched} matched keywords checked.");
        Assert.True(partly > 10, $"Only {partly} partial matches checked.");
    }

    /// <summary>
    /// Checks every explanation <paramref name="rank"/> gives for every judged profile: a paper admitted on meaning
    /// names a keyword of the profile and nothing as matched; every other is checked against its text. Returns how
    /// many matched keywords, partial matches and papers admitted on meaning were checked.
    /// </summary>
    internal static (int Matched, int Partly, int Similar) CheckEveryExplanation(Func<RankingProfile, IEnumerable<RankedPaper>> rank)
    {
        var checkedMatched = 0;
        var checkedPartly = 0;
        var checkedSimilar = 0;
        foreach (var judged in JudgedSet.Profiles())
        {
            var profile = ProfileParser.Parse(judged.Profile);
            foreach (var ranked in rank(profile))
            {
                var where = $"profile {judged.Id}, paper {ranked.Paper.Id}";
                if (ranked.SimilarTo is { } similar)
                {
                    Assert.Contains(similar, profile.Keywords.Select(k => k.Text));
                    Assert.Empty(ranked.Matched);
                    Assert.Empty(ranked.Partly);
                    Assert.Equal($"Similar in meaning to: {similar}", PaperExplanation.Describe(ranked));
                    checkedSimilar++;
                    continue;
                }
                Assert.NotEmpty(ranked.Matched.Concat(ranked.Partly));
                var text = PaperTerms(ranked.Paper);
                foreach (var keyword in ranked.Matched)
                {
                    var term = profile.Keywords.Single(k => k.Text == keyword);
                    var match = ranked.Matches.Single(m => m.Keyword == keyword);
                    Assert.False(match.Partial, $"{where}: \"{keyword}\" is named as matched but matched in part.");
                    Assert.True(term.Terms.All(text.Contains) || IsFormOf(term, match.Via, text),
                        $"{where}: \"{keyword}\" is named as matched, but the paper lacks {string.Join(", ", term.Terms.Where(t => !text.Contains(t)))}.");
                    checkedMatched++;
                }
                var partial = ranked.Matches.Where(m => m.Partial).ToList();
                Assert.Equal(partial.Select(m => m.PartWords).Distinct(), ranked.Partly);
                foreach (var match in partial)
                {
                    var term = profile.Keywords.Single(k => k.Text == match.Keyword);
                    var words = TextAnalyzer.Terms(match.PartWords!);
                    Assert.NotEmpty(words);
                    Assert.All(words, word => Assert.True(text.Contains(word), $"{where}: \"partly: {match.PartWords}\" names \"{word}\", which the paper lacks."));
                    Assert.All(words, word => Assert.Contains(word, term.Terms));
                    Assert.False(term.Terms.All(text.Contains), $"{where}: \"{match.Keyword}\" is whole in the paper but shown as partly.");
                    checkedPartly++;
                }
                Assert.DoesNotContain(ranked.Matched, keyword => partial.Any(m => m.Keyword == keyword));
            }
        }
        return (checkedMatched, checkedPartly, checkedSimilar);
    }

    /// <summary>The terms of a paper's title and abstract, as the ranker's analyser makes them.</summary>
    private static HashSet<string> PaperTerms(PaperMailer.Domain.Paper paper) =>
        TextAnalyzer.Terms(paper.Title).Concat(TextAnalyzer.Terms(paper.Abstract)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether the form <paramref name="via"/> the paper used is in its text and is the keyword: its closed compound, an
    /// acronym the papers define for it, or (for an acronym keyword) one of the acronym's expansions.
    /// </summary>
    private static bool IsFormOf(ProfileTerm keyword, string? via, HashSet<string> text)
    {
        if (via is null) return false;
        var viaTerms = TextAnalyzer.Analyze(via).GroupBy(t => t.Position).Select(g => g.First().Term).ToList();
        var joined = TextAnalyzer.Analyze(via).Select(t => t.Term).ToList();
        if (!viaTerms.All(text.Contains)) return false;
        if (keyword.Compound is { } compound && joined.Contains(compound)) return true;
        if (viaTerms.Count == 1 && Index.Acronyms.AcronymsFor(keyword.Terms).Contains(viaTerms[0])) return true;
        return keyword.Terms.Count == 1
            && Index.Acronyms.ExpansionsByAcronym.GetValueOrDefault(keyword.Terms[0]) is { } expansions
            && expansions.Contains(string.Join(' ', viaTerms));
    }
}
