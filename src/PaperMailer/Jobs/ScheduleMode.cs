namespace PaperMailer.Jobs;

/// <summary>
/// Whether this service is a node of a cluster (Storage:Provider Postgres: a clustered Quartz store, digest runs in
/// shards) or the one node of a SQLite installation. Decided while the services are registered.
/// </summary>
public sealed record ScheduleMode(bool Clustered);
