using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Text;
using PaperMailer.Tests.Rank.Quality;
using PaperMailer.Tests.Support;
using PaperMailer.Topics;
using Xunit.Abstractions;

namespace PaperMailer.Tests.Topics;

/// <summary>
/// The shipped preset topics, ranked over the judged papers (the real Hugging Face sample and arXiv feed): a topic
/// admits a paper only on one of its specific terms, whole; its context words only raise papers already admitted.
/// </summary>
public class PresetTopicRankingTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<Topic> Topics = new TopicsFileCatalog(TestRepository.PathOf("config", "topics.json")).All;
    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions()));
    private static PaperIndex Index => JudgedSetQuality.Index;

    private static IReadOnlyList<RankedPaper> Admitted(string topicId) =>
        Ranker.Rank(Index, RankingProfile.ForTopic(Topics.Single(t => t.Id == topicId)), Index.Papers.Count);

    [Fact]
    public void Every_paper_a_topic_admits_contains_one_of_its_keywords_whole()
    {
        foreach (var topic in Topics)
        {
            var admitted = Admitted(topic.Id);
            output.WriteLine($"{topic.Id}: {admitted.Count} papers");
            foreach (var ranked in admitted) output.WriteLine($"  {ranked.Paper.Id} {ranked.Relevance,6:0.00} [{string.Join(", ", ranked.Matched)}] {ranked.Paper.Title}");

            Assert.NotEmpty(admitted);
            foreach (var ranked in admitted) PresetAdmission.AssertAdmittedOnAKeyword(topic, ranked);
        }
    }

    [Fact]
    public void The_drone_simulator_is_not_under_speech_and_audio_but_is_under_robotics()
    {
        const string drones = "2606.08039"; // MuJoCo-Drones-Gym: … Multi-Drone Simulator for Control and Reinforcement Learning

        Assert.DoesNotContain(Admitted("speech-audio"), r => r.Paper.Id == drones);
        Assert.Contains(Admitted("robotics"), r => r.Paper.Id == drones);
    }

    [Fact]
    public void The_deep_search_paper_is_not_under_robotics_but_is_under_llm_agents()
    {
        const string treeSeeker = "2606.11662"; // TreeSeeker: Tree-Structured Trial, Error, and Return in Deep Search

        Assert.DoesNotContain(Admitted("robotics"), r => r.Paper.Id == treeSeeker);
        Assert.Contains(Admitted("llm-agents"), r => r.Paper.Id == treeSeeker);
    }

    [Fact]
    public void A_subscribers_own_keyword_still_counts_in_part_but_the_same_term_of_a_topic_does_not()
    {
        const string drones = "2606.08039"; // has "rendering", not "performance rendering"
        var own = Ranker.Rank(Index, ProfileParser.Parse("performance rendering"), Index.Papers.Count, applyThreshold: false);
        var topic = Ranker.Rank(Index, ProfileParser.Parse("topic:speech-audio", topics: Topics), Index.Papers.Count, applyThreshold: false);

        Assert.Equal(["rendering"], own.Single(r => r.Paper.Id == drones).Partly);
        Assert.DoesNotContain(topic, r => r.Paper.Id == drones);
    }

    [Fact]
    public void A_context_word_never_admits_a_paper_and_raises_one_a_keyword_admitted()
    {
        var topic = new Topic { Id = "robotics", Name = "Robotics", Keywords = ["robot", "tool use"], Context = ["control"] };
        var index = PaperIndex.Build([
            SamplePapers.Make("2601.00001", "A robot learns to grasp", "We teach an arm to pick up cups from human demonstrations."),
            SamplePapers.Make("2601.00002", "A robot learns to walk", "Legged locomotion control learned in minutes on uneven ground."),
            SamplePapers.Make("2601.00003", "Optimal control of power grids", "Control of power grids under uncertainty."),
            SamplePapers.Make("2601.00004", "Which tool is best", "We use a survey to ask which tool people like."),
        ]);

        var ranked = Ranker.Rank(index, RankingProfile.ForTopic(topic), 10, applyThreshold: false);

        // Not the grid paper (only the context word), nor the survey ("tool" and "use" apart, not "tool use").
        Assert.Equal(["2601.00002", "2601.00001"], ranked.Select(r => r.Paper.Id));
        Assert.True(ranked[0].Relevance > ranked[1].Relevance);
        Assert.All(ranked, r => Assert.Equal(["robot"], r.Matched));
        // The same words as a subscriber's own keywords: each admits on its own, and "tool use" in part.
        var own = Ranker.Rank(index, ProfileParser.Parse("robot, tool use, control"), 10, applyThreshold: false);
        Assert.Equal(4, own.Count);
    }
}

/// <summary>What a preset topic may admit a paper on, checked against the paper's own text.</summary>
internal static class PresetAdmission
{
    /// <summary>
    /// The paper was admitted on one of the topic's keywords (never a context word), every keyword named as matched
    /// is whole in its title or abstract (or in a form the ranker names: an acronym the paper uses for it), and
    /// nothing is shown as a partial match.
    /// </summary>
    public static void AssertAdmittedOnAKeyword(Topic topic, RankedPaper ranked)
    {
        var where = $"topic {topic.Id}, paper {ranked.Paper.Id} \"{ranked.Paper.Title}\"";
        Assert.True(ranked.Matched.Count > 0, $"{where}: admitted without a keyword matched whole.");
        Assert.Empty(ranked.Partly);
        Assert.All(ranked.Matches, m => Assert.False(m.Partial, $"{where}: \"{m.Keyword}\" counted in part."));
        var text = TextAnalyzer.Terms(ranked.Paper.Title).Concat(TextAnalyzer.Terms(ranked.Paper.Abstract)).ToHashSet(StringComparer.Ordinal);
        foreach (var keyword in ranked.Matched)
        {
            Assert.Contains(keyword, topic.Keywords.Select(Unquoted));
            var match = ranked.Matches.Single(m => m.Keyword == keyword);
            var terms = TermsOf(keyword);
            Assert.True(terms.All(text.Contains) || match.Via is { } via && TextAnalyzer.Terms(via).All(text.Contains),
                $"{where}: \"{keyword}\" is named as matched, but the paper lacks {string.Join(", ", terms.Where(t => !text.Contains(t)))}.");
        }
    }

    /// <summary>Whether the paper contains every word of one of the topic's keywords (as the ranker's analyser reads both).</summary>
    public static bool ContainsAKeywordWhole(Topic topic, Paper paper)
    {
        var text = TextAnalyzer.Terms(paper.Title).Concat(TextAnalyzer.Terms(paper.Abstract)).ToHashSet(StringComparer.Ordinal);
        return topic.Keywords.Any(k => TermsOf(k).All(text.Contains));
    }

    /// <summary>A keyword's words as the ranker searches for them (stemmed, without stop words).</summary>
    private static IReadOnlyList<string> TermsOf(string keyword) => ProfileParser.Parse(keyword).Keywords.Single().Terms;

    private static string Unquoted(string keyword) => keyword.Trim('"');
}
