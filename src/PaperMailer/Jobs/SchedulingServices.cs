using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PaperMailer.Bounces;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Digest;
using Npgsql;
using PaperMailer.Configuration;
using PaperMailer.Storage;
using PaperMailer.Storage.Postgres;
using PaperMailer.Storage.Sqlite;
using Quartz;

namespace PaperMailer.Jobs;

public static class SchedulingServices
{
    /// <summary>
    /// Quartz with its job store in PaperMailer's own database (tables created on first start), the collect job on its
    /// cron and the digest check on its interval. Shutdown waits for the job in flight, so a send is never cut off.
    /// Triggers and the store are made from the validated options when the scheduler is built, never from raw
    /// configuration. On PostgreSQL the store is clustered: every node sharing the database is one scheduler, each
    /// trigger fires on one node, and the jobs of a node that dies are taken over by another.
    /// </summary>
    public static IServiceCollection AddPaperMailerSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCronRules();
        services.AddSettings<ClusterOptions>(ClusterOptions.SectionName);
        var mode = new ScheduleMode(Clustered: IsPostgres(configuration));
        services.AddSingleton(mode);
        var cluster = ClusterSettings(configuration);
        if (mode.Clustered)
        {
            // Its own small pool: joining and the check-ins must not wait behind a digest run's connections.
            services.AddSingleton<IClusterNodes>(sp => new PostgresClusterNodes(
                NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString)));
            services.AddSingleton<ClusterMembership>();
            services.AddHostedService(sp => sp.GetRequiredService<ClusterMembership>());
        }
        services.AddQuartz(quartz =>
        {
            // Explicit, so that every node of a cluster has the same one; tests that start several services in one
            // process give each a name of its own.
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = cluster.SchedulerName);
            if (mode.Clustered) UseClusteredStore(quartz, cluster);
            else UseSqliteStore(quartz);
            quartz.AddJob<CollectJob>(job => job.WithIdentity(CollectJob.Key).StoreDurably());
            // After downtime, collect at once rather than at the next cron time.
            quartz.RunAtStartup(CollectJob.Key);
            quartz.AddTrigger((sp, trigger) => trigger.ForJob(CollectJob.Key).WithIdentity("collect-cron", "papermailer")
                .WithCronSchedule(sp.GetRequiredService<IOptions<CollectOptions>>().Value.Cron, cron => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            // Each enabled network source on its own cron and in its own time zone, also run once at start.
            AddSource<HuggingFaceSourceOptions>(quartz, configuration, HuggingFaceSourceOptions.SectionName, HuggingFaceDailyPapersSource.SourceName);
            AddSource<ArxivSourceOptions>(quartz, configuration, ArxivSourceOptions.SectionName, ArxivApiSource.SourceName);
            AddSource<ArxivFeedSourceOptions>(quartz, configuration, ArxivFeedSourceOptions.SectionName, ArxivFeedSource.SourceName);
            quartz.AddJob<DigestCheckJob>(job => job.WithIdentity(DigestCheckJob.Key).StoreDurably());
            quartz.AddTrigger((sp, trigger) =>
            {
                var schedule = sp.GetRequiredService<IOptions<ScheduleOptions>>().Value;
                trigger.ForJob(DigestCheckJob.Key).WithIdentity("digest-check", "papermailer")
                    // Quartz fires by the system clock, so the start is on that clock too.
                    .StartAt(DateTimeOffset.UtcNow + schedule.FirstDigestCheckDelay)
                    .WithSimpleSchedule(s => s.WithInterval(schedule.DigestCheckInterval).RepeatForever().MeasureIntervalFromCompletion(true)
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
            });
            AddBounceCheck(quartz, configuration);
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }

    private static void UseSqliteStore(IQuartzBuilder quartz) => quartz.UsePersistentStore(store =>
    {
        // The same database, through the one SqliteDatabase registered from Storage:ConnectionString.
        store.UseSqlite(source => source.DataSourceFactory = sp => SqliteFactory.Instance.CreateDataSource(sp.GetRequiredService<SqliteDatabase>().ConnectionString));
        store.UseSystemTextJsonSerializer();
        store.ProvisionSchema();
    });

    /// <summary>
    /// Quartz's tables in the same PostgreSQL database, clustered: an instance id of its own per node (generated), the
    /// check-in settings, a bounded thread pool so that waiting shards go to the nodes with room, and a short idle
    /// poll so that they notice them. Creating the schema is safe when nodes start at once (the loser of the race
    /// finds the winner's tables).
    /// </summary>
    private static void UseClusteredStore(IQuartzBuilder quartz, ClusterOptions cluster)
    {
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(source => source.DataSourceFactory = sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
            store.UseSystemTextJsonSerializer();
            store.ProvisionSchema();
            store.UseClustering(clustering =>
            {
                clustering.CheckinInterval = cluster.CheckinInterval;
                clustering.CheckinMisfireThreshold = cluster.CheckinMisfireThreshold;
            });
        });
        quartz.UseDefaultThreadPool(cluster.MaxJobsPerNode);
        quartz.ConfigureScheduler(scheduler => scheduler.IdleWaitTime = cluster.PollInterval);
    }

    /// <summary>
    /// The Cluster settings as the scheduler is registered (Quartz's own options are fixed then). A value that cannot be
    /// read keeps its default here and stops the program at the start check, which validates the same section.
    /// </summary>
    private static ClusterOptions ClusterSettings(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        }
        catch (InvalidOperationException)
        {
            return new ClusterOptions();
        }
    }

    private static bool IsPostgres(IConfiguration configuration) =>
        string.Equals(configuration[$"{StorageOptions.SectionName}:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bounce mailbox on its interval, when one is configured (decided while registering, like the sources).</summary>
    private static void AddBounceCheck(IQuartzBuilder quartz, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{BounceOptions.SectionName}:{nameof(BounceOptions.Host)}"])) return;
        quartz.AddJob<BounceCheckJob>(job => job.WithIdentity(BounceCheckJob.Key).StoreDurably());
        quartz.AddTrigger((sp, trigger) => trigger.ForJob(BounceCheckJob.Key).WithIdentity("bounce-check", "papermailer")
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(sp.GetRequiredService<IOptions<BounceOptions>>().Value.CheckInterval).RepeatForever()
                .MeasureIntervalFromCompletion(true).WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }

    private static void AddSource<TOptions>(IQuartzBuilder quartz, IConfiguration configuration, string section, string name) where TOptions : HttpSourceOptions
    {
        // Whether a source has jobs at all is decided while registering, before options exist; a value that is not
        // true or false keeps the default here and stops the program at the start check.
        if (bool.TryParse(configuration[$"{section}:{nameof(HttpSourceOptions.Enabled)}"], out var enabled) && !enabled) return;
        var key = CollectJob.KeyFor(name);
        quartz.AddJob<CollectJob>(job => job.WithIdentity(key).UsingJobData(CollectJob.SourceKey, name).StoreDurably());
        quartz.RunAtStartup(key);
        quartz.AddTrigger((sp, trigger) =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>().Value;
            trigger.ForJob(key).WithIdentity(key.Name + "-cron", "papermailer")
                .WithCronSchedule(options.Cron, cron => cron.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(options.CronTimeZone))
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));
        });
    }
}
