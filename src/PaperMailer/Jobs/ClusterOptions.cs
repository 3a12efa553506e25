using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Jobs;

/// <summary>
/// How a node takes part in a cluster: read only when Storage:Provider is Postgres, where every `papermailer run`
/// sharing the database is a node of one Quartz cluster. SQLite serves one node and ignores these.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>
    /// The Quartz scheduler's name: nodes of one cluster must share it (it keys the schedule in the database); two
    /// clusters on one database need different names. Default "PaperMailer".
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(120)]
    public string SchedulerName { get; set; } = "PaperMailer";

    /// <summary>How often a node records in the database that it is alive. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long past a missed check-in the other nodes wait before they count a node as dead and take over the jobs
    /// it was running (a digest shard is then run again from the ledger). Keep it above the longest pause a node can
    /// have (a garbage collection, a VM migration, a database failover) plus the clock difference between nodes.
    /// Default 20 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How many shards each digest run is split into (by a fixed hash of the subscriber id). Each shard is a job any
    /// node may run, so up to this many nodes send in parallel; each sends at 1/DigestShards of the Delivery rate
    /// limits. Default 8.
    /// </summary>
    [Range(1, 256)]
    public int DigestShards { get; set; } = 8;

    /// <summary>
    /// Jobs one node runs at once (collections, the digest check, digest shards). A node with no free place leaves the
    /// waiting shards to the other nodes, which is what spreads a run over the cluster. Default 4.
    /// </summary>
    [Range(2, 64)]
    public int MaxJobsPerNode { get; set; } = 4;

    /// <summary>
    /// How often an idle node looks for jobs to run (shards another node's digest check scheduled). Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
