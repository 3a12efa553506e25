using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Digest;
using PaperMailer.Rank;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Configuration;

/// <summary>
/// Checks configuration before anything starts, so a bad value stops the program with one sentence per problem that
/// names the key (as "Section:Key") and what it accepts, instead of a binder stack trace half-way through a run.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>Every options section and its class, in the order problems are reported.</summary>
    internal static readonly (string Section, Type Options)[] Sections =
    [
        (StorageOptions.SectionName, typeof(StorageOptions)),
        (DeliveryOptions.SectionName, typeof(DeliveryOptions)),
        (SmtpOptions.SectionName, typeof(SmtpOptions)),
        (DkimOptions.SectionName, typeof(DkimOptions)),
        (WebOptions.SectionName, typeof(WebOptions)),
        (SubscriptionOptions.SectionName, typeof(SubscriptionOptions)),
        (TemplateOptions.SectionName, typeof(TemplateOptions)),
        (RankingOptions.SectionName, typeof(RankingOptions)),
        (DigestOptions.SectionName, typeof(DigestOptions)),
        (ScheduleOptions.SectionName, typeof(ScheduleOptions)),
        (TopicOptions.SectionName, typeof(TopicOptions)),
        (CollectOptions.SectionName, typeof(CollectOptions)),
        (HuggingFaceSourceOptions.SectionName, typeof(HuggingFaceSourceOptions)),
        (ArxivSourceOptions.SectionName, typeof(ArxivSourceOptions)),
        (ArxivFeedSourceOptions.SectionName, typeof(ArxivFeedSourceOptions)),
    ];

    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, type) in Sections)
        {
            var values = configuration.GetSection(section);
            var typeProblems = new List<string>();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var raw = values[property.Name];
                if (raw is not null && ConversionProblem(property.PropertyType, raw) is { } problem)
                {
                    typeProblems.Add($"{section}:{property.Name} is \"{raw}\", but {problem}.");
                }
            }
            problems.AddRange(typeProblems);
            if (typeProblems.Count > 0) continue;

            var options = Activator.CreateInstance(type)!;
            values.Bind(options);
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            foreach (var result in results)
            {
                var member = result.MemberNames.FirstOrDefault() ?? "";
                problems.Add($"{section}:{member}: {result.ErrorMessage}");
            }
            if (options is DeliveryOptions delivery && !MailMessageFactory.TryParseFrom(delivery.From, out _))
                problems.Add($"Delivery:From is \"{delivery.From}\", but it must be an email address such as \"PaperMailer <digest@example.org>\".");
            if (options is DkimOptions { IsPartlyConfigured: true })
                problems.Add("Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile must be set together (all three to sign, none to send unsigned).");
            if (options is DkimOptions { IsConfigured: true } dkim && !File.Exists(dkim.PrivateKeyFile))
                problems.Add($"Dkim:PrivateKeyFile is \"{dkim.PrivateKeyFile}\", but there is no such file (create a key with `openssl genrsa -out dkim.pem 2048`).");
            if (options is WebOptions web && !(Uri.TryCreate(web.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
                problems.Add($"Web:PublicBaseUrl is \"{web.PublicBaseUrl}\", but it must be an absolute http or https address such as \"https://papers.example.org\".");
            if (options is HttpSourceOptions source && !(Uri.TryCreate(source.BaseUrl, UriKind.Absolute, out var sourceUrl) && sourceUrl.Scheme is "http" or "https"))
                problems.Add($"{section}:BaseUrl is \"{source.BaseUrl}\", but it must be an absolute http or https address such as \"{((HttpSourceOptions)Activator.CreateInstance(type)!).BaseUrl}\".");
            if (options is HttpSourceOptions zoned && !TimeZoneInfo.TryFindSystemTimeZoneById(zoned.CronTimeZone, out _))
                problems.Add($"{section}:CronTimeZone is \"{zoned.CronTimeZone}\", but it must be a time zone id such as \"UTC\" or \"America/New_York\".");
            if (options is DigestOptions digest && (digest.Lookback <= TimeSpan.Zero || digest.WeeklyLookback <= TimeSpan.Zero))
                problems.Add("Digest:Lookback and Digest:WeeklyLookback must be positive durations such as \"1.00:00:00\".");
        }
        return problems;
    }

    private static string? ConversionProblem(Type type, string raw)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return Enum.GetNames(type).Any(n => string.Equals(n, raw.Trim(), StringComparison.OrdinalIgnoreCase))
                ? null
                : $"the allowed values are {string.Join(", ", Enum.GetNames(type))}";
        }
        if (type == typeof(int)) return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "it must be a whole number";
        if (type == typeof(double)) return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "it must be a number";
        if (type == typeof(bool)) return bool.TryParse(raw, out _) ? null : "it must be true or false";
        if (type == typeof(TimeSpan)) return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out _) ? null : "it must be a duration such as \"00:05:00\" (5 minutes) or \"1.00:00:00\" (1 day)";
        return null;
    }
}
