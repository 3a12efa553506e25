using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Digest;
using PaperMailer.Storage.Sqlite;
using Quartz;

namespace PaperMailer.Jobs;

public static class SchedulingServices
{
    /// <summary>
    /// Quartz with its job store in PaperMailer's own database (tables created on first start), the collect job on its
    /// cron and the digest check on its interval. Shutdown waits for the job in flight, so a send is never cut off.
    /// </summary>
    public static IServiceCollection AddPaperMailerSchedule(this IServiceCollection services, IConfiguration configuration, SqliteDatabase database)
    {
        var schedule = configuration.GetSection(ScheduleOptions.SectionName).Get<ScheduleOptions>() ?? new ScheduleOptions();
        var collect = configuration.GetSection(CollectOptions.SectionName).Get<CollectOptions>() ?? new CollectOptions();
        if (!CronExpression.TryParse(collect.Cron, out _))
        {
            throw new InvalidOperationException($"Collect:Cron \"{collect.Cron}\" is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 5 * * * ?\").");
        }
        var networkSources = NetworkSourceSchedules(configuration);
        if (schedule.FirstDigestCheckDelay < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Schedule:FirstDigestCheckDelay must not be negative, found {schedule.FirstDigestCheckDelay}.");
        }
        if (schedule.DigestCheckInterval < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"Schedule:DigestCheckInterval must be at least one second, found {schedule.DigestCheckInterval}.");
        }
        services.AddQuartz(quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                store.UseSqlite(database.ConnectionString);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            quartz.AddJob<CollectJob>(job => job.WithIdentity(CollectJob.Key).StoreDurably());
            // After downtime, collect at once rather than at the next cron time.
            quartz.RunAtStartup(CollectJob.Key);
            quartz.AddTrigger(trigger => trigger.ForJob(CollectJob.Key).WithIdentity("collect-cron", "papermailer")
                .WithCronSchedule(collect.Cron, cron => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            // Each enabled network source on its own cron and in its own time zone, also run once at start.
            foreach (var (name, options, zone) in networkSources)
            {
                var key = CollectJob.KeyFor(name);
                quartz.AddJob<CollectJob>(job => job.WithIdentity(key).UsingJobData(CollectJob.SourceKey, name).StoreDurably());
                quartz.RunAtStartup(key);
                quartz.AddTrigger(trigger => trigger.ForJob(key).WithIdentity(key.Name + "-cron", "papermailer")
                    .WithCronSchedule(options.Cron, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            }
            quartz.AddJob<DigestCheckJob>(job => job.WithIdentity(DigestCheckJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger.ForJob(DigestCheckJob.Key).WithIdentity("digest-check", "papermailer")
                .StartAt(DateTimeOffset.UtcNow + schedule.FirstDigestCheckDelay)
                .WithSimpleSchedule(s => s.WithInterval(schedule.DigestCheckInterval).RepeatForever().MeasureIntervalFromCompletion(true)
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }

    private static List<(string Name, HttpSourceOptions Options, TimeZoneInfo Zone)> NetworkSourceSchedules(IConfiguration configuration)
    {
        var all = new (string Name, string Section, HttpSourceOptions Options)[]
        {
            (HuggingFaceDailyPapersSource.SourceName, HuggingFaceSourceOptions.SectionName, configuration.GetSection(HuggingFaceSourceOptions.SectionName).Get<HuggingFaceSourceOptions>() ?? new()),
            (ArxivApiSource.SourceName, ArxivSourceOptions.SectionName, configuration.GetSection(ArxivSourceOptions.SectionName).Get<ArxivSourceOptions>() ?? new()),
            (ArxivFeedSource.SourceName, ArxivFeedSourceOptions.SectionName, configuration.GetSection(ArxivFeedSourceOptions.SectionName).Get<ArxivFeedSourceOptions>() ?? new()),
        };
        var enabled = new List<(string, HttpSourceOptions, TimeZoneInfo)>();
        foreach (var (name, section, options) in all.Where(s => s.Options.Enabled))
        {
            if (!CronExpression.TryParse(options.Cron, out _))
            {
                throw new InvalidOperationException($"{section}:Cron \"{options.Cron}\" is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 10 * * * ?\").");
            }
            // ConfigurationCheck has already vetted the zone id.
            enabled.Add((name, options, TimeZoneInfo.FindSystemTimeZoneById(options.CronTimeZone)));
        }
        return enabled;
    }
}
