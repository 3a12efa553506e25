using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PaperMailer.Configuration;

/// <summary>
/// Checks that every value of a section converts to its setting's type before the binder sees it. The binder stops at
/// the first value it cannot convert, with a message that names a .NET type rather than what the key accepts; this
/// reports every such value of the section, in words, through the same validation failure as every other rule.
/// </summary>
internal sealed class ConvertibleValues<TOptions>(IConfiguration configuration, string section) : IConfigureOptions<TOptions> where TOptions : class
{
    private static readonly SettingsSection Shape = new("", typeof(TOptions));

    public void Configure(TOptions options)
    {
        var values = configuration.GetSection(section);
        var failures = new List<string>();
        foreach (var setting in Shape.Settings)
        {
            if (values[setting.Name] is { } raw && Problem(setting.PropertyType, raw) is { } problem)
            {
                failures.Add($"{section}:{setting.Name} is \"{raw}\", but {problem}.");
            }
        }
        if (failures.Count > 0) throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
    }

    private static string? Problem(Type type, string raw)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            // By name only: the binder would also take a number or a comma-separated combination.
            return Enum.GetNames(type).Any(n => string.Equals(n, raw.Trim(), StringComparison.OrdinalIgnoreCase))
                ? null
                : $"the allowed values are {string.Join(", ", Enum.GetNames(type))}";
        }
        if (type == typeof(int)) return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "it must be a whole number";
        if (type == typeof(double))
        {
            // "NaN" and "Infinity" parse as numbers, yet no setting means anything by them.
            return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? null : "it must be a number";
        }
        if (type == typeof(bool)) return bool.TryParse(raw, out _) ? null : "it must be true or false";
        if (type == typeof(TimeSpan)) return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out _) ? null : "it must be a duration such as \"00:05:00\" (5 minutes) or \"1.00:00:00\" (1 day)";
        return null;
    }
}
