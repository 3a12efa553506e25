using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Tests.Rank.Quality;
using PaperMailer.Tests.Rank.Semantic;
using PaperMailer.Tests.Support;
using PaperMailer.Topics;
using Xunit.Abstractions;

namespace PaperMailer.Tests.Topics;

/// <summary>
/// The shipped preset topics ranked with the judged papers' vectors: a paper enters on one of the topic's keywords,
/// whole, or on clear similarity to the topic's name and description, and is then explained so; never on meaning
/// through one of the topic's keywords.
/// </summary>
[Collection(nameof(EmbeddingModelCollection))]
public class PresetTopicMeaningTests(EmbeddingModel model, ITestOutputHelper output)
{
    private static readonly IReadOnlyList<Topic> Topics = new TopicsFileCatalog(TestRepository.PathOf("config", "topics.json")).All;
    private static PaperIndex Index => JudgedSetQuality.Index;
    private readonly PaperVectors _vectors = JudgedSetQuality.VectorsBy(model.Embedder);
    private readonly RankingOptions _options = new();

    private IReadOnlyList<RankedPaper> Ranked(Topic topic) =>
        new PaperRanker(Options.Create(_options), new ProfileEmbedder(model.Embedder)).Rank(Index, RankingProfile.ForTopic(topic), Index.Papers.Count, vectors: _vectors);

    [Fact]
    public void Every_paper_a_topic_admits_has_a_keyword_whole_or_is_clearly_similar_to_the_topic_and_says_so()
    {
        var onMeaning = 0;
        foreach (var topic in Topics)
        {
            foreach (var ranked in Ranked(topic))
            {
                if (ranked.SimilarTo is null)
                {
                    PresetAdmission.AssertAdmittedOnAKeyword(topic, ranked);
                    continue;
                }
                output.WriteLine($"{topic.Id}: {ranked.Paper.Id} {ranked.Similarity:0.000} {ranked.Paper.Title}");
                onMeaning++;
                Assert.Equal($"{topic.Name} (topic)", ranked.SimilarTo);
                Assert.Equal($"Similar in meaning to: {topic.Name} (topic)", PaperExplanation.Describe(ranked));
                Assert.Empty(ranked.Matched);
                Assert.True(ranked.Similarity >= _options.MinTopicSimilarity, $"{ranked.Paper.Id} entered {topic.Id} at {ranked.Similarity}.");
            }
        }
        Assert.True(onMeaning > 0, "No paper entered a topic on meaning, so this test proved nothing about it.");
    }

    [Fact]
    public void The_papers_llm_agents_admits_on_meaning_are_ones_the_judged_set_grades_relevant_to_agents()
    {
        var agents = JudgedSet.Profiles().Single(p => p.Id == "agents").Grades;

        var onMeaning = Ranked(Topics.Single(t => t.Id == "llm-agents")).Where(r => r.SimilarTo is not null).ToList();

        Assert.NotEmpty(onMeaning);
        Assert.All(onMeaning, r => Assert.True(agents.GetValueOrDefault(r.Paper.Id) > 0, $"{r.Paper.Id} \"{r.Paper.Title}\" is not graded for agents."));
    }

    [Fact]
    public void The_two_reported_papers_stay_out_of_the_wrong_topics_with_vectors_too()
    {
        Assert.DoesNotContain(Ranked(Topics.Single(t => t.Id == "speech-audio")), r => r.Paper.Id == "2606.08039");
        Assert.DoesNotContain(Ranked(Topics.Single(t => t.Id == "robotics")), r => r.Paper.Id == "2606.11662");
    }
}
