using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>The paper vector store's contract, held by both providers.</summary>
public class PaperVectorStoreContractTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 6, 0, 0, TimeSpan.Zero);

    private static float[] Vector(float first) => [first, -0.5f, float.Epsilon, 1e-7f];

    [Theory, SqliteStore, PostgresStore]
    public async Task Vectors_read_back_exactly_for_their_model_only_in_one_call(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        await app.Get<IPaperStore>().UpsertAsync([SamplePapers.Make("2601.00001", "a", "x"), SamplePapers.Make("2601.00002", "b", "y")], Monday);
        var vectors = app.Get<IPaperVectorStore>();

        await vectors.SaveAsync("model-a", [new PaperVector("2601.00001", Vector(0.25f)), new PaperVector("2601.00002", Vector(-3.5f))], Monday);

        var read = await vectors.GetAsync("model-a", ["2601.00001", "2601.00002", "2601.00003"]);
        Assert.Equal(2, read.Count);
        Assert.Equal(Vector(0.25f), read["2601.00001"]);
        Assert.Equal(Vector(-3.5f), read["2601.00002"]);
        Assert.Empty(await vectors.GetAsync("model-b", ["2601.00001"]));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Missing_lists_papers_of_the_window_without_a_vector_of_the_model_newest_first(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var papers = app.Get<IPaperStore>();
        await papers.UpsertAsync([SamplePapers.Make("2601.00001", "old", "x")], Monday.AddDays(-40));
        await papers.UpsertAsync([SamplePapers.Make("2601.00002", "embedded", "x"), SamplePapers.Make("2601.00003", "other model", "x")], Monday.AddDays(-2));
        await papers.UpsertAsync([SamplePapers.Make("2601.00004", "new", "x")], Monday);
        var vectors = app.Get<IPaperVectorStore>();
        await vectors.SaveAsync("model-a", [new PaperVector("2601.00002", Vector(1))], Monday);
        await vectors.SaveAsync("model-b", [new PaperVector("2601.00003", Vector(1))], Monday);

        Assert.Equal(["2601.00004", "2601.00003"], await vectors.MissingAsync("model-a", Monday.AddDays(-30), 10));
        Assert.Equal(["2601.00004"], await vectors.MissingAsync("model-a", Monday.AddDays(-30), 1));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_paper_whose_title_or_abstract_changes_loses_its_vector_and_one_whose_upvotes_change_keeps_it(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var papers = app.Get<IPaperStore>();
        var retitled = SamplePapers.Make("2601.00001", "Before", "x");
        var upvoted = SamplePapers.Make("2601.00002", "Same", "y");
        await papers.UpsertAsync([retitled, upvoted], Monday);
        var vectors = app.Get<IPaperVectorStore>();
        await vectors.SaveAsync("model-a", [new PaperVector(retitled.Id, Vector(1)), new PaperVector(upvoted.Id, Vector(2))], Monday);

        await papers.UpsertAsync([retitled with { Title = "After" }, upvoted with { Upvotes = 40 }], Monday.AddHours(1));

        Assert.Equal([upvoted.Id], (await vectors.GetAsync("model-a", [retitled.Id, upvoted.Id])).Keys);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_vector_for_a_paper_the_store_does_not_hold_is_not_kept(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var vectors = app.Get<IPaperVectorStore>();

        await vectors.SaveAsync("model-a", [new PaperVector("2601.09999", Vector(1))], Monday);

        Assert.Empty(await vectors.GetAsync("model-a", ["2601.09999"]));
    }
}
