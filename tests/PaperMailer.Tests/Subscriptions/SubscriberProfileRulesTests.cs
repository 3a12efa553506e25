using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Subscriptions;

namespace PaperMailer.Tests.Subscriptions;

/// <summary>Where people subscribe (web form, CLI, import), the profile language is checked as strictly as by <c>rank</c>.</summary>
public class SubscriberProfileRulesTests
{
    private static readonly string[] Topics = ["llm", "robotics"];

    private static IReadOnlyList<string> Problems(string keywords, string exclude = "", string topics = "") =>
        SubscriberRules.Problems(new Subscriber
        {
            Email = "ada@example.org",
            Keywords = RankingProfile.SplitList(keywords),
            ExcludedTerms = RankingProfile.SplitList(exclude),
            Topics = RankingProfile.SplitList(topics),
        }, Topics);

    [Fact]
    public void A_usable_profile_has_no_problems()
    {
        Assert.Empty(Problems("diffusion, \"speculative decoding\", -graph, cat:cs.LG, author:\"Ada Lovelace\"", "survey"));
        Assert.Empty(Problems("-graph", topics: "llm"));
    }

    [Fact]
    public void An_unbalanced_quote_in_keywords_is_one_problem_naming_the_field()
    {
        Assert.Equal(["keywords: Unbalanced quote: \"speculative decoding has no closing quote."], Problems("diffusion, \"speculative decoding"));
    }

    [Fact]
    public void An_unbalanced_quote_in_exclusions_names_the_exclude_field()
    {
        Assert.Equal(["exclude: Unbalanced quote: \"graph has no closing quote."], Problems("diffusion", exclude: "\"graph"));
    }

    [Fact]
    public void Only_exclusions_is_refused()
    {
        Assert.Equal(["keywords: the profile has only exclusions; add at least one keyword or topic to look for"], Problems("-graph, -survey"));
    }

    [Fact]
    public void An_empty_profile_keeps_the_existing_message()
    {
        Assert.Equal(["profile: pick at least one topic or keyword, or Trending today"], Problems(""));
    }

    [Fact]
    public void A_keyword_of_only_common_words_or_an_empty_phrase_is_refused()
    {
        Assert.Equal(["keywords: \"the of\" has no searchable words (only very common words such as \"the\" or \"of\")"], Problems("diffusion, the of"));
        Assert.Equal(["keywords: \"\"\"\" is empty"], Problems("diffusion, \"\""));
    }
}
