using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>The smaller stores' contracts (subscribers, consents, bounces, sources, runs, archive), held by both providers.</summary>
public class StoreContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    [Theory, SqliteStore, PostgresStore]
    public async Task A_subscriber_reads_back_as_stored_and_an_address_differing_only_in_case_is_a_duplicate(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var store = app.Get<ISubscriberStore>();
        var ann = await store.AddAsync(new Subscriber
        {
            Email = " Ann@Example.org ", Name = "Ann",
            Profile = new SubscriberProfile { Keywords = ["sparse attention", "MoE"], Topics = ["llm"], Exclusions = ["survey"], Trending = true },
            TimeZone = "Europe/Berlin", DeliveryHour = 7, Frequency = DigestFrequency.Weekly, Weekday = DayOfWeek.Tuesday, MaxPapers = 12,
            CreatedAt = Now,
        });

        var read = (await store.GetByEmailAsync("ann@example.ORG"))!;
        Assert.Equal(ann.Id, read.Id);
        Assert.Equal(("Ann@Example.org", "Ann", "Europe/Berlin", 7, DigestFrequency.Weekly, DayOfWeek.Tuesday, 12, true, Now),
            (read.Email, read.Name, read.TimeZone, read.DeliveryHour, read.Frequency, read.Weekday!.Value, read.MaxPapers, read.Profile.Trending, read.CreatedAt));
        Assert.Equal(["sparse attention", "MoE"], read.Profile.Keywords);
        Assert.Equal(["llm"], read.Profile.Topics);
        Assert.Equal(["survey"], read.Profile.Exclusions);
        await Assert.ThrowsAsync<DuplicateSubscriberException>(() => store.AddAsync(read with { Email = "ANN@example.org" }));
        await Assert.ThrowsAsync<DuplicateSubscriberException>(() => store.AddManyAsync([read with { Email = "bob@example.org" }, read with { Email = "ann@EXAMPLE.org" }]));
        Assert.Null(await store.GetByEmailAsync("bob@example.org"));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Subscribers_are_found_in_sets_counted_by_status_and_changed_in_place(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var store = app.Get<ISubscriberStore>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var bob = await app.AddSubscriberAsync("bob@example.org", ["y"]);
        await store.ImportAsync([new Subscriber { Email = "cy@example.org", Profile = new SubscriberProfile { Keywords = ["z"] }, TimeZone = "UTC", CreatedAt = Now }],
            [bob with { Profile = bob.Profile with { Keywords = ["y2"] }, Weekday = null, Name = "Bob" }]);

        Assert.True(await store.SetStatusAsync(ann.Id, SubscriberStatus.Unsubscribed, Now.AddHours(1)));
        var cy = (await store.GetByEmailAsync("cy@example.org"))!;
        Assert.True(await store.UpdateProfileAsync(cy with { DeliveryHour = 5, Profile = cy.Profile with { Trending = true } }));

        Assert.Equal(["bob@example.org", "cy@example.org"], (await store.GetByEmailsAsync(["BOB@example.org", "cy@example.org", "nobody@example.org"])).Select(s => s.Email).Order());
        Assert.Equal([ann.Id, bob.Id], (await store.GetByIdsAsync([ann.Id, bob.Id, 999_999])).Keys.Order());
        Assert.Equal(2, await store.CountAsync(SubscriberStatus.Active));
        Assert.Equal((SubscriberStatus.Unsubscribed, Now.AddHours(1)), ((await store.GetByIdAsync(ann.Id))!.Status, (await store.GetByIdAsync(ann.Id))!.StatusChangedAt!.Value));
        Assert.Equal(["y2"], (await store.GetByIdAsync(bob.Id))!.Profile.Keywords);
        Assert.Equal("Bob", (await store.GetByIdAsync(bob.Id))!.Name);
        Assert.Equal((5, true), ((await store.GetByEmailAsync("cy@example.org"))!.DeliveryHour, (await store.GetByEmailAsync("cy@example.org"))!.Profile.Trending));
        Assert.Equal(["bob@example.org", "cy@example.org"], (await store.ListAsync(SubscriberStatus.Active)).Select(s => s.Email));
        Assert.Equal(3, (await store.ListAsync()).Count);
        Assert.False(await store.SetStatusAsync(999_999, SubscriberStatus.Active, Now));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Consents_are_appended_listed_in_order_and_counted_since_a_time(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var log = app.Get<IConsentLog>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        await log.AddAsync(new ConsentRecord { SubscriberId = ann.Id, Kind = "requested", At = Now, Ip = "192.0.2.1", UserAgent = "Firefox", Details = "{}" });
        await log.AddManyAsync(
        [
            new ConsentRecord { SubscriberId = ann.Id, Kind = "confirmed", At = Now.AddMinutes(5), Details = "{\"topics\":[]}" },
            new ConsentRecord { SubscriberId = ann.Id, Kind = "requested", At = Now.AddHours(2), Details = "{}" },
        ]);

        var records = await log.ListAsync(ann.Id);
        Assert.Equal(["requested", "confirmed", "requested"], records.Select(r => r.Kind));
        Assert.Equal(("192.0.2.1", "Firefox", Now), (records[0].Ip, records[0].UserAgent, records[0].At));
        Assert.Null(records[1].Ip);
        Assert.Equal(1, await log.CountSinceAsync(ann.Id, "requested", Now.AddHours(1)));
        Assert.Equal(2, await log.CountSinceAsync(ann.Id, "requested", Now));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_bounce_report_is_recorded_once_and_counted_by_subscriber_and_kind(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var log = app.Get<IBounceLog>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var digest = (await app.Get<IDeliveryLedger>().CreateAsync(LedgerRows.Draft(ann, DateOnly.FromDateTime(Now.UtcDateTime), Now, "2601.00001")))!;

        Assert.True(await log.AddAsync(new BounceRecord("<r1@mx>", "soft", digest.Id, ann.Id, ann.Email, "4.2.2", "mailbox full", Now)));
        Assert.False(await log.AddAsync(new BounceRecord("<r1@mx>", "soft", digest.Id, ann.Id, ann.Email, "4.2.2", "mailbox full", Now)));
        Assert.True(await log.AddAsync(new BounceRecord("<r2@mx>", "hard", digest.Id, ann.Id, ann.Email, "5.1.1", null, Now.AddHours(1))));
        Assert.True(await log.AddAsync(new BounceRecord("<r3@mx>", "unmatched", null, null, null, null, null, Now.AddHours(2))));

        Assert.True(await log.ContainsAsync("<r1@mx>"));
        Assert.False(await log.ContainsAsync("<r9@mx>"));
        Assert.Equal(new BouncedDigest(digest.Id, ann.Id, ann.Email), await log.FindDigestAsync(digest.Id));
        Assert.Equal(new BouncedDigest(digest.Id, ann.Id, ann.Email), await log.FindDigestByMessageIdAsync(digest.MessageId));
        Assert.Null(await log.FindDigestAsync(999_999));
        Assert.Equal(1, await log.CountAsync(ann.Id, "soft"));
        Assert.Equal(new Dictionary<string, int> { ["hard"] = 1, ["unmatched"] = 1 }, await log.CountByKindSinceAsync(Now.AddMinutes(30)));
        Assert.Equal([("ann@example.org", 1)], await log.MostReportedAsync("hard", Now, 5));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Sources_keep_their_watermark_and_their_last_success_and_failures(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var marks = app.Get<ISourceWatermarks>();
        var status = app.Get<ISourceStatusLog>();

        Assert.Null(await marks.GetAsync("arxiv"));
        await marks.SetAsync("arxiv", "2026-11-15", Now);
        await marks.SetAsync("arxiv", "2026-11-16", Now.AddHours(1));
        await status.RecordFailureAsync("hf", Now, "timeout");
        await status.RecordFailureAsync("hf", Now.AddMinutes(5), "503");
        await status.RecordSuccessAsync("arxiv", Now, 4, 1);
        await status.RecordSuccessAsync("hf", Now.AddMinutes(10), 2, 0);

        Assert.Equal("2026-11-16", await marks.GetAsync("arxiv"));
        var list = await status.ListAsync();
        Assert.Equal(["arxiv", "hf"], list.Select(s => s.Source));
        Assert.Equal(new SourceStatus("hf", Now, Now.AddMinutes(10), Now.AddMinutes(10), Now.AddMinutes(5), "503", 0, 2, 0), list[1]);
        Assert.Equal(new SourceStatus("arxiv", Now, Now, Now, null, null, 0, 4, 1), list[0]);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Digest_runs_are_listed_newest_first_and_the_archive_lists_what_was_given(StorageProvider storage)
    {
        using var app = new TestApp(Now, storage: storage);
        var runs = app.Get<IDigestRunLog>();
        await runs.RecordAsync(new DigestRunSummary("run-1", Now, Now.AddMinutes(1), 5, 1, 0, 2, 0, 0, 0, false));
        await runs.RecordAsync(new DigestRunSummary("run-2", Now.AddHours(1), Now.AddHours(1).AddMinutes(1), 0, 0, 1, 0, 1, 3, 2, true));
        var ledger = app.Get<IDeliveryLedger>();
        var archive = app.Get<IDigestArchive>();
        var ann = await app.AddSubscriberAsync("ann@example.org", ["x"]);
        var day = DateOnly.FromDateTime(Now.UtcDateTime);
        var first = (await ledger.CreateAsync(LedgerRows.Draft(ann, day, Now, "2601.00001") with { PaperMatches = [["sparse", "attention"]] }))!;
        await ledger.RecordAsync(first, DeliveryStatus.Sent, "250 ok", Now);
        var second = (await ledger.CreateAsync(LedgerRows.Draft(ann, day.AddDays(1), Now.AddDays(1), "2601.00002") with { WindowFrom = Now }))!;
        await ledger.RecordAsync(second, DeliveryStatus.Sent, "250 ok", Now.AddDays(1));

        var latest = await runs.LatestAsync(5);
        Assert.Equal(["run-2", "run-1"], latest.Select(r => r.Claimant));
        Assert.Equal(new DigestRunSummary("run-2", Now.AddHours(1), Now.AddHours(1).AddMinutes(1), 0, 0, 1, 0, 1, 3, 2, true) { Id = latest[0].Id }, latest[0]);
        Assert.Equal([second.Id, first.Id], (await archive.ListGivenAsync(ann.Id, 10)).Select(d => d.Id));
        Assert.Equal(["sparse", "attention"], Assert.Single((await archive.GetAsync(first.Id))!.PaperMatches!));
        Assert.True(await archive.IsFirstAsync(ann.Id, first.Id));
        Assert.False(await archive.IsFirstAsync(ann.Id, second.Id));
    }
}
