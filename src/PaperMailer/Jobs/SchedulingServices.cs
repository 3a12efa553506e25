using PaperMailer.Collect;
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
            quartz.AddJob<DigestCheckJob>(job => job.WithIdentity(DigestCheckJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger.ForJob(DigestCheckJob.Key).WithIdentity("digest-check", "papermailer")
                .StartAt(DateTimeOffset.UtcNow + schedule.FirstDigestCheckDelay)
                .WithSimpleSchedule(s => s.WithInterval(schedule.DigestCheckInterval).RepeatForever().MeasureIntervalFromCompletion(true)
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
