using System.Globalization;
using System.Text.RegularExpressions;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// On a cluster each trigger fires on one node: a collection on a cron schedule runs once per firing for the whole
/// cluster, not once per node. Two real nodes on one database, collecting every two seconds.
/// </summary>
[RunsForAbout(seconds: 60)]
public sealed partial class ClusteredScheduleTests
{
    [ClusterFact]
    public async Task Two_nodes_collect_once_per_firing_of_the_schedule_not_once_each()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var cluster = await ClusterSite.StartAsync(database.ConnectionString);
        var nodes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => cluster.StartNodeAsync(["--Collect:Cron=0/2 * * * * ?", "--Schedule:FirstDigestCheckDelay=01:00:00"])));
        var window = TimeSpan.FromSeconds(20);
        // Read by the nodes' own log times: the window starts once both have joined.
        await Task.Delay(window + TimeSpan.FromSeconds(6));
        var from = nodes.Max(n => LoggedAt(n.Output, JoinedLine()).First()) + TimeSpan.FromSeconds(2);
        var collections = nodes.Select(n => LoggedAt(n.Output, CollectedLine()).Count(t => t >= from && t < from + window)).ToList();

        // Firings of "every two seconds" in the window: at most 11, plus each node's collection at its start. Two nodes
        // each running every firing would make about 22.
        var most = (int)(window.TotalSeconds / 2) + 1 + nodes.Length;
        Assert.True(collections.Sum() <= most, $"{collections.Sum()} collections in {window.TotalSeconds:0} s ({string.Join(" + ", collections)} by node): more than the schedule's firings and the start-up runs ({most})");
        Assert.True(collections.Sum() >= 2, $"only {collections.Sum()} collections in {window.TotalSeconds:0} s: the schedule did not run");
    }

    private static IEnumerable<DateTime> LoggedAt(string log, Regex line) =>
        line.Matches(log).Select(m => DateTime.SpecifyKind(DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), DateTimeKind.Utc));

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) info: PaperMailer\.Collect\.PaperCollector\[\d+\] Collected from file", RegexOptions.Multiline)]
    private static partial Regex CollectedLine();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) info: PaperMailer\.Jobs\.ClusterMembership\[\d+\] Joined the cluster", RegexOptions.Multiline)]
    private static partial Regex JoinedLine();
}
