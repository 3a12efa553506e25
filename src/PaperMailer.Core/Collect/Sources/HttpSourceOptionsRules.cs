using Microsoft.Extensions.Options;

namespace PaperMailer.Collect.Sources;

/// <summary>A network source needs an http(s) address and a time zone its cron is read in.</summary>
internal sealed class HttpSourceOptionsRules<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : HttpSourceOptions, new()
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        if (!(Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            failures.Add($"{section}:BaseUrl is \"{options.BaseUrl}\", but it must be an absolute http or https address such as \"{new TOptions().BaseUrl}\".");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.CronTimeZone, out _))
        {
            failures.Add($"{section}:CronTimeZone is \"{options.CronTimeZone}\", but it must be a time zone id such as \"UTC\" or \"America/New_York\".");
        }
        if (options.RetryBaseDelay > options.MaxRetryDelay)
        {
            failures.Add($"{section}:RetryBaseDelay ({options.RetryBaseDelay}) is longer than {section}:MaxRetryDelay ({options.MaxRetryDelay}), so no retry could ever wait as asked.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
