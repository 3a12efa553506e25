using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Collect.Sources;

/// <summary>What every network source shares: where it is, when it runs, and how patiently it is asked.</summary>
public abstract class HttpSourceOptions
{
    /// <summary>Where the service lives; tests and mirrors point this elsewhere.</summary>
    public abstract string BaseUrl { get; set; }

    /// <summary>Whether `collect --source all` and the scheduled service use this source. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quartz cron expression for the scheduled collection from this source, read in <see cref="CronTimeZone"/>.</summary>
    public abstract string Cron { get; set; }

    /// <summary>Time zone (IANA or Windows id) the cron expression is read in. Default "UTC".</summary>
    public string CronTimeZone { get; set; } = "UTC";

    /// <summary>How long one request may take, headers and body. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a timeout, 429 or 5xx answer before the run fails; connection failures are not retried. Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First wait before a retry when the server names none; doubles each time. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait the source accepts (a longer Retry-After fails the run instead). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back a run catches up after downtime (or on its first run). Default 3 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(3);

    internal Uri Url(string pathAndQuery) => new(BaseUrl.TrimEnd('/') + pathAndQuery);
}
