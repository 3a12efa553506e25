using MimeKit;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Collect;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Embed;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Storage;
using PaperMailer.Tests.Rank.Semantic;
using PaperMailer.Tests.Support;
using PaperMailer.Topics;

namespace PaperMailer.Tests.Embed;

/// <summary>
/// Profiles' keyword and topic vectors embedded once per database (on the suite's store) and read back by the next
/// process, which then ranks with the blend without calling the model.
/// </summary>
[Collection(nameof(EmbeddingModelCollection))]
public class StoredProfileVectorsTests(EmbeddingModel model)
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);

    private static TestApp App(ISentenceEmbedder embedder, TestApp? sharing = null, bool semantic = true)
    {
        var settings = new Dictionary<string, string?>(sharing?.SharedFiles() ?? new Dictionary<string, string?>()) { ["Ranking:Semantic"] = semantic ? "true" : "false" };
        return new(Morning, settings, useRealTransport: true, configure: services => services.AddSingleton(embedder));
    }

    private static RankingProfile Profile(TestApp app, string keywords) => ProfileParser.Parse(keywords, [], app.Get<ITopicCatalog>().All);

    [Fact]
    public async Task A_second_process_reads_the_vectors_the_first_embedded_and_never_calls_the_model()
    {
        var counting = new CountingEmbedder(model.Embedder);
        using var first = App(counting);
        var profiles = new[] { "graph neural networks, RAG", "RAG, speech recognition, topic:robotics" };

        Assert.True(await first.Get<StoredProfileVectors>().PrepareAsync(profiles.Select(p => Profile(first, p)), CancellationToken.None));
        var calls = counting.Calls;
        var made = profiles.Select(p => first.Get<ProfileEmbedder>().For(Profile(first, p))).ToList();

        var failing = CountingEmbedder.Failing();
        using var second = App(failing, sharing: first);
        Assert.True(await second.Get<StoredProfileVectors>().PrepareAsync(profiles.Select(p => Profile(second, p)), CancellationToken.None));
        var read = profiles.Select(p => second.Get<ProfileEmbedder>().For(Profile(second, p))).ToList();

        // One call for the keywords' texts and one for the topic's, and none when ranking.
        Assert.Equal(2, calls);
        Assert.Equal(calls, counting.Calls);
        Assert.Equal(0, failing.Calls);
        for (var p = 0; p < made.Count; p++)
        {
            Assert.Equal(made[p].Mean, read[p].Mean);
            Assert.Equal(made[p].TopicVectors, read[p].TopicVectors);
        }
    }

    [Fact]
    public async Task Keywords_are_stored_as_embedded_with_acronyms_spelled_out_and_topics_under_their_own_cut()
    {
        using var app = App(model.Embedder);
        var profile = Profile(app, "RAG, topic:robotics");
        var robotics = Assert.Single(profile.Topics);

        await app.Get<StoredProfileVectors>().PrepareAsync([profile], CancellationToken.None);

        var embedder = app.Get<ProfileEmbedder>();
        var keyword = new TextVectorKey("all-MiniLM-L6-v2/32", "retrieval-augmented generation (RAG)");
        var topic = new TextVectorKey("all-MiniLM-L6-v2/64", $"{robotics.Name}: {robotics.Description}");
        Assert.Equal(keyword.Model, embedder.KeywordModel);
        Assert.Equal(topic.Model, embedder.TopicModel);
        var stored = await app.Get<ITextVectorStore>().GetAsync([keyword, topic, new TextVectorKey(keyword.Model, "RAG")]);
        Assert.Equal([keyword, topic], stored.Keys.OrderBy(k => k.Model, StringComparer.Ordinal));
        Assert.True(VectorMath.Dot(stored[keyword], model.Embedder.Embed([keyword.Text], ProfileEmbedder.MaxTokens)[0]) > 0.9999f);
    }

    [Fact]
    public async Task With_Semantic_off_nothing_is_embedded_or_stored_and_ranking_is_told_to_be_lexical()
    {
        var failing = CountingEmbedder.Failing();
        using var app = App(failing, semantic: false);
        var profile = Profile(app, "graph neural networks");

        Assert.False(await app.Get<StoredProfileVectors>().PrepareAsync([profile], CancellationToken.None));

        Assert.Equal(0, failing.Calls);
        Assert.Empty(await app.Get<ITextVectorStore>().GetAsync([new TextVectorKey(app.Get<ProfileEmbedder>().KeywordModel, "graph neural networks")]));
    }

    [Fact]
    public async Task A_model_that_fails_on_a_new_keyword_turns_the_blend_off_for_the_process_and_stores_nothing()
    {
        var failing = CountingEmbedder.Failing();
        using var app = App(failing);

        Assert.False(await app.Get<StoredProfileVectors>().PrepareAsync([Profile(app, "graph neural networks")], CancellationToken.None));

        Assert.False(app.Get<StoredPaperVectors>().Enabled);
        Assert.False(await app.Get<StoredProfileVectors>().PrepareAsync([Profile(app, "speech recognition")], CancellationToken.None));
        Assert.Equal(1, failing.Calls);
    }

    [Fact]
    public async Task A_digest_run_over_stored_papers_and_keywords_does_not_call_the_model_and_sends_what_the_first_process_would()
    {
        using var first = App(model.Embedder);
        await first.Get<PaperCollector>().CollectOneAsync(new GivenPapersSource(SamplePapers.Load()), CancellationToken.None);
        first.Clock.Advance(TimeSpan.FromMinutes(1));
        await first.AddSubscriberAsync("agents@example.org", keywords: ["language agents", "video understanding"], maxPapers: 30);
        var preview = await first.Get<DigestPreview>().PreviewAsync((await first.Get<ISubscriberStore>().ListAsync()).Single(), null, CancellationToken.None);

        var failing = CountingEmbedder.Failing();
        using var second = App(failing, sharing: first);
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        await second.Get<DigestRun>().RunAsync(new DigestRunRequest(), CancellationToken.None);

        Assert.Equal(0, failing.Calls);
        Assert.Contains(preview.Papers.Personal, r => r.SimilarTo is not null);
        var email = MimeMessage.Load(Assert.Single(Directory.GetFiles(first.OutboxDirectory, "*.eml")));
        // The preview's papers, in its order (each paper's links name its id).
        var places = preview.Papers.Personal.Select(r => (email.HtmlBody ?? "").IndexOf(r.Paper.Id, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, places);
        Assert.Equal(places.Order(), places);
        Assert.Contains("Similar in meaning to:", email.TextBody);
    }
}
