using PaperMailer.Domain;
using PaperMailer.Rank.Feedback;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>The ratings table's contract, held by both providers: one vote per subscriber and paper, the latest wins.</summary>
public class RatingStoreContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static Paper Paper(string id) => new() { Id = id, Title = "Paper " + id, Abstract = "About " + id, Source = PaperSources.Arxiv };

    [Theory, SqliteStore, PostgresStore]
    public async Task A_second_vote_on_a_paper_replaces_the_first_and_reset_forgets_only_that_subscribers_ratings(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        await app.Get<IPaperStore>().UpsertAsync([Paper("2612.00001"), Paper("2612.00002")], Now);
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["y"]);
        var ratings = app.Get<IRatingStore>();

        await ratings.RateAsync(new Rating(ann.Id, "2612.00001", Vote.More, Now));
        await ratings.RateAsync(new Rating(ann.Id, "2612.00002", Vote.More, Now.AddMinutes(1)));
        await ratings.RateAsync(new Rating(ann.Id, "2612.00001", Vote.Less, Now.AddMinutes(2)));
        await ratings.RateAsync(new Rating(bob.Id, "2612.00001", Vote.More, Now));

        var read = await ratings.GetAsync([ann.Id, bob.Id, 999_999], perSubscriber: 10);
        Assert.Equal([("2612.00001", Vote.Less, Now.AddMinutes(2)), ("2612.00002", Vote.More, Now.AddMinutes(1))],
            read[ann.Id].Select(r => (r.PaperId, r.Vote, r.RatedAt)));
        Assert.Single(read[bob.Id]);
        Assert.False(read.ContainsKey(999_999));
        Assert.Equal(["2612.00001"], (await ratings.GetAsync([ann.Id], perSubscriber: 1))[ann.Id].Select(r => r.PaperId));

        Assert.Equal(2, await ratings.ClearAsync(ann.Id));
        Assert.False((await ratings.GetAsync([ann.Id], 10)).ContainsKey(ann.Id));
        Assert.Single((await ratings.GetAsync([bob.Id], 10))[bob.Id]);
        Assert.Equal(0, await ratings.ClearAsync(ann.Id));
    }
}
