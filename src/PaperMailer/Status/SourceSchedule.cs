using PaperMailer.Collect.Sources;
using Quartz;

namespace PaperMailer.Status;

/// <summary>
/// When a network source is expected to run: the times its Quartz cron names in its time zone, the same trigger
/// the scheduler uses. "Overdue" counts those times rather than multiplying one interval, because the arXiv sources
/// run on weekdays only: two missed runs there can be four days apart.
/// </summary>
internal sealed class SourceSchedule
{
    private readonly CronExpression _cron;

    public SourceSchedule(HttpSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cron = new CronExpression(options.Cron, TimeZoneInfo.FindSystemTimeZoneById(options.CronTimeZone));
    }

    /// <summary>How many scheduled times fall after <paramref name="since"/> and at or before <paramref name="now"/>, counting at most <paramref name="max"/>.</summary>
    public int RunsBetween(DateTimeOffset since, DateTimeOffset now, int max)
    {
        var count = 0;
        var at = since;
        while (count < max && _cron.GetNextValidTimeAfter(at) is { } next && next <= now)
        {
            count++;
            at = next;
        }
        return count;
    }

    /// <summary>The scheduled time after <paramref name="at"/>, if any.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset at) => _cron.GetNextValidTimeAfter(at);
}
