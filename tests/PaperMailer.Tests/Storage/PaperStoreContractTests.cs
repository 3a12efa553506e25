using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>The paper store's contract, held by both providers.</summary>
public class PaperStoreContractTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 6, 0, 0, TimeSpan.Zero);

    [Theory, SqliteStore, PostgresStore]
    public async Task Storing_the_same_papers_again_adds_nothing_and_keeps_first_seen(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<IPaperStore>();
        var papers = SamplePapers.Load();

        var first = await store.UpsertAsync(papers, Monday);
        var second = await store.UpsertAsync(papers, Monday.AddDays(1));

        Assert.Equal(new PaperUpsertSummary(30, 0, 0), first);
        Assert.Equal(new PaperUpsertSummary(0, 0, 30), second);
        var stored = await store.ListAsync();
        Assert.Equal(30, stored.Count);
        Assert.All(stored, p => Assert.Equal(Monday, p.FirstSeenAt));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_changed_paper_is_updated_in_place_and_missing_fields_do_not_erase_known_ones(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<IPaperStore>();
        var original = SamplePapers.Load().Single(p => p.Id == "2606.13392");
        await store.UpsertAsync([original], Monday);

        var summary = await store.UpsertAsync([original with { Upvotes = 150, GithubRepo = null, Title = "MiniMax Sparse Attention v2" }], Monday.AddHours(5));

        Assert.Equal(new PaperUpsertSummary(0, 1, 0), summary);
        var stored = (await store.GetByIdsAsync(["2606.13392"])).Single();
        Assert.Equal(150, stored.Upvotes);
        Assert.Equal("MiniMax Sparse Attention v2", stored.Title);
        Assert.Equal("https://github.com/MiniMax-AI/MSA", stored.GithubRepo);
        Assert.Equal(Monday, stored.FirstSeenAt);
        Assert.Equal(original.Authors, stored.Authors);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task First_seen_window_is_half_open(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<IPaperStore>();
        await store.UpsertAsync([SamplePapers.Make("2601.00001", "a", "x")], Monday);
        await store.UpsertAsync([SamplePapers.Make("2601.00002", "b", "x")], Monday.AddDays(1));

        var window = await store.GetFirstSeenBetweenAsync(Monday, Monday.AddDays(1));

        Assert.Equal(["2601.00001"], window.Select(p => p.Id));
    }
}
