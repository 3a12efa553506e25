using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Configuration;
using Quartz;

namespace PaperMailer.Jobs;

/// <summary>
/// Cron settings must be Quartz cron expressions. Checked here rather than beside the options, which live in the
/// library that knows nothing of Quartz.
/// </summary>
internal sealed class CronRules(string section) :
    IValidateOptions<CollectOptions>, IValidateOptions<HuggingFaceSourceOptions>, IValidateOptions<ArxivSourceOptions>, IValidateOptions<ArxivFeedSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, CollectOptions options) => Check(options.Cron);
    public ValidateOptionsResult Validate(string? name, HuggingFaceSourceOptions options) => Check(options.Cron);
    public ValidateOptionsResult Validate(string? name, ArxivSourceOptions options) => Check(options.Cron);
    public ValidateOptionsResult Validate(string? name, ArxivFeedSourceOptions options) => Check(options.Cron);

    private ValidateOptionsResult Check(string cron) => CronExpression.TryParse(cron, out _)
        ? ValidateOptionsResult.Success
        : ValidateOptionsResult.Fail($"{section}:Cron is \"{cron}\", but it must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 5 * * * ?\").");
}

public static class CronRulesRegistration
{
    public static IServiceCollection AddCronRules(this IServiceCollection services) => services
        .AddSettingsRules<CollectOptions>(new CronRules(CollectOptions.SectionName))
        .AddSettingsRules<HuggingFaceSourceOptions>(new CronRules(HuggingFaceSourceOptions.SectionName))
        .AddSettingsRules<ArxivSourceOptions>(new CronRules(ArxivSourceOptions.SectionName))
        .AddSettingsRules<ArxivFeedSourceOptions>(new CronRules(ArxivFeedSourceOptions.SectionName));
}
