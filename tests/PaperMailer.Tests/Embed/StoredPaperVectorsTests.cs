using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Collect;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Embed;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Storage;
using PaperMailer.Tests.Rank.Semantic;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Embed;

/// <summary>
/// Papers embedded when collected and their vectors stored with them (on the suite's store), used by the digest end to
/// end; papers stored before embedded later; the model off, or failing, changing nothing else.
/// </summary>
[Collection(nameof(EmbeddingModelCollection))]
public class StoredPaperVectorsTests(EmbeddingModel model)
{
    // Monday 16 November 2026, 10:00 UTC.
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);

    // No word of "speech recognition" (nor of its stems) is in it; it is about nothing else.
    private static readonly Paper Transcription = SamplePapers.Make("2611.00001", "Transcribing spoken audio into text with end-to-end acoustic models",
        "We train a transformer that turns recorded spoken utterances into written transcripts, lowering the word error rate on conversational telephone audio and on accented talkers.");

    private static readonly Paper Matching = SamplePapers.Make("2611.00002", "Speech recognition for low-resource languages",
        "Speech recognition systems need much labelled audio; we adapt a multilingual model to languages with an hour of transcribed recordings.");

    private static readonly Paper Unrelated = SamplePapers.Make("2611.00003", "Sparse attention kernels for long-context language models",
        "We write GPU kernels for block-sparse attention that make a 128k-token context affordable during inference.");

    private TestApp App(bool semantic = true, ISentenceEmbedder? embedder = null, ILoggerProvider? logs = null) =>
        new(Morning, new Dictionary<string, string?> { ["Ranking:Semantic"] = semantic ? "true" : "false" }, useRealTransport: true, configure: services =>
        {
            services.AddSingleton(embedder ?? model.Embedder);
            if (logs is not null) services.AddSingleton(logs);
        });

    /// <summary>Collects the papers, then lets a minute pass: a digest's window ends before the time it is made.</summary>
    private static async Task<CollectResult> CollectAsync(TestApp app, params Paper[] papers)
    {
        var result = await app.Get<PaperCollector>().CollectOneAsync(new GivenPapersSource(papers), CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return result;
    }

    private static Task<IReadOnlyDictionary<string, float[]>> StoredVectorsAsync(TestApp app, params Paper[] papers) =>
        app.Get<IPaperVectorStore>().GetAsync(app.Get<PaperEmbedder>().Model, papers.Select(p => p.Id).ToList());

    [Fact]
    public async Task A_collection_stores_each_new_papers_vector_of_its_title_and_abstract()
    {
        using var app = App();

        await CollectAsync(app, Transcription, Matching);

        var stored = await StoredVectorsAsync(app, Transcription, Matching);
        var fresh = new PaperEmbedder(model.Embedder).Embed([Transcription, Matching]);
        Assert.Equal(2, stored.Count);
        Assert.True(VectorMath.Dot(stored[Transcription.Id], fresh[0]) > 0.9999f);
        Assert.True(VectorMath.Dot(stored[Matching.Id], fresh[1]) > 0.9999f);
    }

    [Fact]
    public async Task A_digest_admits_a_paper_only_similar_in_meaning_and_its_email_says_so()
    {
        using var app = App();
        await CollectAsync(app, Transcription, Matching, Unrelated);
        await app.AddSubscriberAsync("listener@example.org", keywords: ["speech recognition"]);
        var stored = (await StoredVectorsAsync(app, Transcription))[Transcription.Id];
        var similarity = VectorMath.Dot(new ProfileEmbedder(model.Embedder).For(ProfileParser.Parse("speech recognition")).Mean, stored);
        Assert.True(similarity >= new RankingOptions().MinSimilarity, $"The test's paper is only {similarity} similar to its keyword.");

        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(), CancellationToken.None);

        var email = MimeMessage.Load(Assert.Single(Directory.GetFiles(app.OutboxDirectory, "*.eml")));
        var text = (email.TextBody ?? "").ReplaceLineEndings("\n");
        Assert.Contains(Matching.Title, text);
        Assert.DoesNotContain(Unrelated.Title, text);
        var at = text.IndexOf(Transcription.Title, StringComparison.Ordinal);
        Assert.True(at >= 0, text);
        Assert.Contains("Similar in meaning to: speech recognition", text[at..].Split("\n\n")[0]);
        Assert.Contains("Similar in meaning to <strong>speech recognition</strong>", email.HtmlBody);
    }

    [Fact]
    public async Task Papers_stored_before_are_embedded_at_the_next_collection()
    {
        using var app = App();
        await app.Get<IPaperStore>().UpsertAsync([Matching, Unrelated], Morning.AddDays(-3));
        Assert.Empty(await StoredVectorsAsync(app, Matching, Unrelated));

        await CollectAsync(app, Transcription);

        Assert.Equal(3, (await StoredVectorsAsync(app, Transcription, Matching, Unrelated)).Count);
    }

    [Fact]
    public async Task Papers_without_a_vector_are_embedded_when_a_digest_first_ranks_them()
    {
        using var app = App();
        await app.Get<IPaperStore>().UpsertAsync([Transcription, Unrelated], Morning.AddHours(-1));
        var subscriber = await app.AddSubscriberAsync("listener@example.org", keywords: ["speech recognition"]);

        var preview = await app.Get<DigestPreview>().PreviewAsync(subscriber, null, CancellationToken.None);

        Assert.Equal(2, (await StoredVectorsAsync(app, Transcription, Unrelated)).Count);
        Assert.Equal("speech recognition", Assert.Single(preview.Papers.Personal).SimilarTo);
    }

    [Fact]
    public async Task With_Semantic_off_the_model_is_never_called_nothing_is_embedded_and_digests_rank_on_words_alone()
    {
        var embedder = CountingEmbedder.Failing();
        using var app = App(semantic: false, embedder);
        var papers = SamplePapers.Load();
        await CollectAsync(app, [.. papers]);
        var subscriber = await app.AddSubscriberAsync("agents@example.org", keywords: ["language agents", "tool use"], maxPapers: 30);

        var preview = await app.Get<DigestPreview>().PreviewAsync(subscriber, null, CancellationToken.None);
        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(), CancellationToken.None);

        Assert.Equal(0, embedder.Calls);
        Assert.Empty(await app.Get<IPaperVectorStore>().GetAsync(app.Get<PaperEmbedder>().Model, papers.Select(p => p.Id).ToList()));
        var lexical = new PaperRanker(Options.Create(new RankingOptions { Semantic = false }))
            .Rank(PaperIndex.Build(await app.Get<IPaperStore>().ListAsync()), ProfileParser.Parse("language agents, tool use"), 30);
        Assert.NotEmpty(lexical);
        Assert.Equal(lexical.Select(r => (r.Paper.Id, r.Score)), preview.Papers.Personal.Select(r => (r.Paper.Id, r.Score)));
        Assert.Single(Directory.GetFiles(app.OutboxDirectory, "*.eml"));
    }

    [Fact]
    public async Task A_model_that_fails_loses_no_paper_of_the_collection_warns_once_and_digests_rank_on_words()
    {
        var embedder = CountingEmbedder.Failing();
        var logs = new CapturedLogs();
        using var app = App(semantic: true, embedder, logs);

        var first = await CollectAsync(app, Transcription, Matching);
        var second = await CollectAsync(app, Unrelated);
        await app.AddSubscriberAsync("listener@example.org", keywords: ["speech recognition"]);
        await app.Get<DigestRun>().RunAsync(new DigestRunRequest(), CancellationToken.None);

        Assert.False(first.Failed);
        Assert.False(second.Failed);
        Assert.Equal(3, (await app.Get<IPaperStore>().ListAsync()).Count);
        Assert.Empty(await StoredVectorsAsync(app, Transcription, Matching, Unrelated));
        var warning = Assert.Single(logs.Warnings, w => w.StartsWith(typeof(StoredPaperVectors).FullName!, StringComparison.Ordinal));
        Assert.Contains("The model file is damaged.", warning);
        Assert.Contains("Ranking:Semantic=false", warning);
        var text = MimeMessage.Load(Assert.Single(Directory.GetFiles(app.OutboxDirectory, "*.eml"))).TextBody;
        Assert.Contains(Matching.Title, text);
        Assert.DoesNotContain(Transcription.Title, text);
        Assert.Equal(1, embedder.Calls);
    }

    [Fact]
    public async Task A_papers_file_uses_the_stored_vectors_of_papers_stored_with_the_same_text_and_embeds_only_the_others()
    {
        var counting = new CountingEmbedder(model.Embedder);
        using var app = App(embedder: counting);
        await CollectAsync(app, Transcription, Matching, Unrelated);
        var fromFile = PaperIndex.Build([Transcription, Matching with { Abstract = "Rewritten since it was collected." }, Unrelated]);
        counting.Texts = 0;

        var vectors = await app.Get<StoredPaperVectors>().ForFileAsync(fromFile, CancellationToken.None);

        // Only the paper whose text changed.
        Assert.Equal(1, counting.Texts);
        Assert.NotNull(vectors);
        var stored = await StoredVectorsAsync(app, Transcription, Matching);
        var position = fromFile.Papers.Select((p, i) => (p.Paper.Id, i)).ToDictionary(p => p.Id, p => p.i);
        Assert.Equal(stored[Transcription.Id], vectors.Row(position[Transcription.Id]).ToArray());
        Assert.NotEqual(stored[Matching.Id], vectors.Row(position[Matching.Id]).ToArray());
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => [.. _warnings];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _warnings);

        public void Dispose()
        {
        }

        /// <summary>Keeps each warning as "category: message".</summary>
        private sealed class Logger(string category, ConcurrentQueue<string> warnings) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel == LogLevel.Warning) warnings.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
