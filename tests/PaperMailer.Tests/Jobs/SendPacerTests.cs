using PaperMailer.Deliver;
using PaperMailer.Digest.Delivering;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Jobs;

/// <summary>
/// The rate limits hold per cluster: each of a run's S shards paces itself at limit / S. A clock whose waits pass at
/// once (and move it on by the wait) shows each send's moment exactly.
/// </summary>
public class SendPacerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 16, 6, 0, 0, TimeSpan.Zero);

    private static async Task<List<TimeSpan>> SendTimesAsync(SendPacer pacer, ManualClock clock, IEnumerable<string> recipients)
    {
        var times = new List<TimeSpan>();
        foreach (var email in recipients)
        {
            await pacer.WaitTurnAsync(email, CancellationToken.None);
            times.Add(clock.GetUtcNow() - Start);
        }
        return times;
    }

    [Fact]
    public async Task A_shard_of_eight_sends_at_an_eighth_of_the_limit()
    {
        var clock = new ManualClock(Start) { SkipDelays = true };
        var pacer = new SendPacer(new DeliveryOptions { MaxMessagesPerSecond = 80 }, shares: 8, clock);

        var times = await SendTimesAsync(pacer, clock, Enumerable.Range(0, 11).Select(i => $"r{i}@d{i % 4}.example"));

        // 80/s shared by 8 shards: 10/s each, one send every 100 ms; eleven sends take exactly one second.
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Interval);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => TimeSpan.FromMilliseconds(100 * i)), times);
    }

    [Fact]
    public async Task All_shards_together_never_exceed_the_limit_in_any_second_however_the_nodes_share_them()
    {
        // The worst case: all eight shards of one run sending flat out at once (on one node or eight, it is the same:
        // each paces only itself). Each shard's moments, on a clock of its own starting together.
        var options = new DeliveryOptions { MaxMessagesPerSecond = 40 };
        var all = new List<TimeSpan>();
        for (var shard = 0; shard < 8; shard++)
        {
            var clock = new ManualClock(Start) { SkipDelays = true };
            all.AddRange(await SendTimesAsync(new SendPacer(options, shares: 8, clock), clock, Enumerable.Range(0, 30).Select(i => $"r{i}@example.org")));
        }

        // The busiest one-second window starting at any send: exactly the limit, never more.
        var busiest = all.Max(from => all.Count(t => t >= from && t < from + TimeSpan.FromSeconds(1)));
        Assert.Equal(40, busiest);
    }

    [Fact]
    public async Task A_domain_keeps_to_its_own_rate_while_other_domains_go_on_at_the_global_rate()
    {
        var clock = new ManualClock(Start) { SkipDelays = true };
        var pacer = new SendPacer(new DeliveryOptions { MaxMessagesPerSecond = 100, MaxMessagesPerSecondPerDomain = 4 }, shares: 2, clock);

        var busy = await SendTimesAsync(pacer, clock, ["a@busy.example", "b@busy.example", "c@busy.example"]);
        var quiet = await SendTimesAsync(pacer, clock, ["a@quiet.example", "b@quiet.example"]);

        // 4/s per domain shared by 2: 500 ms between two sends to one domain, counted from the send; the global share
        // (50/s) puts the first quiet.example send 20 ms after the last busy.example one.
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000)], busy);
        Assert.Equal([TimeSpan.FromMilliseconds(1020), TimeSpan.FromMilliseconds(1520)], quiet);
    }

    [Fact]
    public async Task No_limit_means_no_wait()
    {
        var clock = new ManualClock(Start) { SkipDelays = true };
        var pacer = new SendPacer(new DeliveryOptions(), shares: 8, clock);

        var times = await SendTimesAsync(pacer, clock, Enumerable.Range(0, 50).Select(i => $"r{i}@example.org"));

        Assert.All(times, t => Assert.Equal(TimeSpan.Zero, t));
        Assert.Empty(clock.Delays);
    }
}
