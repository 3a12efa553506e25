using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Subscriptions;

namespace PaperMailer.Tests.Subscriptions;

/// <summary>Where people subscribe (web form, CLI, import), the profile language is checked as strictly as by <c>rank</c>.</summary>
public class SubscriberProfileRulesTests
{
    private static readonly Topic[] Topics =
    [
        new() { Id = "llm", Name = "LLMs", Keywords = ["language models"] },
        new() { Id = "robotics", Name = "Robotics", Keywords = ["robot learning"] },
    ];

    private static IReadOnlyList<string> Problems(string keywords, string exclude = "", string topics = "", bool trending = false) =>
        SubscriberRules.Problems(new Subscriber
        {
            Email = "ada@example.org",
            Profile = new SubscriberProfile
            {
                Keywords = RankingProfile.SplitList(keywords),
                Exclusions = RankingProfile.SplitList(exclude),
                Topics = RankingProfile.SplitList(topics),
                Trending = trending,
            },
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
        Assert.Equal(["keywords: Unbalanced quote: \"speculative decoding has no closing quote"], Problems("diffusion, \"speculative decoding"));
    }

    [Fact]
    public void An_unbalanced_quote_in_exclusions_names_the_exclude_field()
    {
        Assert.Equal(["exclude: Unbalanced quote: \"graph has no closing quote"], Problems("diffusion", exclude: "\"graph"));
    }

    [Fact]
    public void Only_exclusions_is_refused_as_a_profile_that_can_never_match()
    {
        Assert.Equal(["keywords: the profile has only exclusions, so it can never match a paper; add at least one keyword or topic to look for"], Problems("-graph, -survey"));
    }

    [Fact]
    public void Exclusions_beside_Trending_today_are_a_profile_as_they_leave_papers_out_of_the_trending_list()
    {
        Assert.Empty(Problems("-graph", trending: true));
    }

    [Fact]
    public void Only_category_and_author_boosts_are_refused_as_a_profile_that_can_never_match()
    {
        const string Expected = "keywords: boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic";
        Assert.Equal([Expected], Problems("cat:cs.LG"));
        Assert.Equal([Expected], Problems("cat:cs.RO, author:\"Sergey Levine\", -survey"));
        Assert.Equal([Expected], Problems("author:Levine", trending: true));
        Assert.Empty(Problems("cat:cs.RO", topics: "robotics"));
    }

    [Fact]
    public void A_topic_item_naming_an_unknown_topic_is_refused_in_the_keywords_field()
    {
        Assert.Equal(["keywords: \"topic:astro\" is not a known topic (known: llm, robotics)"], Problems("diffusion, topic:astro"));
        Assert.Empty(Problems("topic:Robotics"));
    }

    [Fact]
    public void An_unknown_topic_picked_is_refused_in_the_topics_field()
    {
        Assert.Equal(["topics: \"astro\" is not a known topic (known: llm, robotics)"], Problems("diffusion", topics: "astro"));
    }

    [Fact]
    public void The_profile_the_check_accepts_is_the_one_the_ranker_reads()
    {
        var profile = new SubscriberProfile { Topics = ["robotics"], Keywords = ["diffusion", "-survey", "cat:cs.RO"], Exclusions = ["medical"] };
        var check = ProfileParser.Check(profile, Topics);
        var ranked = RankingProfile.For(profile, Topics);

        Assert.Empty(check.Problems);
        Assert.Equal(ranked.Keywords.Select(k => k.Key), check.Profile.Keywords.Select(k => k.Key));
        Assert.Equal(ranked.Exclusions.Select(k => k.Key), check.Profile.Exclusions.Select(k => k.Key));
        Assert.Equal(ranked.Categories, check.Profile.Categories);
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
        Assert.Equal(["keywords: The quoted phrase \"\" is empty"], Problems("diffusion, \"\""));
    }
}
