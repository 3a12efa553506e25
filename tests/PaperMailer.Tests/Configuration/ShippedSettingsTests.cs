using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Cli;
using PaperMailer.Configuration;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Configuration;

/// <summary>config/appsettings.json is documentation too: it must name every setting, with the default the code uses.</summary>
public class ShippedSettingsTests
{
    /// <summary>Secrets belong in the environment, never in a file.</summary>
    private static readonly HashSet<string> EnvironmentOnly = ["Smtp:Password", "Web:SigningKey", "Bounces:Password"];

    [Theory]
    [InlineData("appsettings.json")]
    [InlineData("appsettings.example.jsonc")]
    public void Every_setting_is_in_the_shipped_files_with_the_default_the_code_uses(string file)
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(TestRepository.PathOf("config", file)).Build();
        var example = File.ReadAllText(TestRepository.PathOf("config", "appsettings.example.jsonc"));
        var problems = new List<string>();
        using var services = CliServices.Build(shipped);
        foreach (var (section, type) in services.GetServices<SettingsSection>())
        {
            var defaults = Activator.CreateInstance(type)!;
            var bound = Activator.CreateInstance(type)!;
            shipped.GetSection(section).Bind(bound);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var key = $"{section}:{property.Name}";
                var isList = typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string);
                if (EnvironmentOnly.Contains(key))
                {
                    if (shipped[key] is not null) problems.Add($"{key} is a secret and must not be in the file");
                    continue;
                }
                if (!isList && shipped[key] is null) problems.Add($"{key} is missing");
                // Lists bind by adding to what the code holds, so a list's default lives in the file when the code's is empty.
                var fileHoldsListDefault = isList && property.GetValue(defaults) is IEnumerable d && !d.Cast<object?>().Any();
                if (!fileHoldsListDefault && !Same(property.GetValue(defaults), property.GetValue(bound))) problems.Add($"{key} is {Show(property.GetValue(bound))} in the file but {Show(property.GetValue(defaults))} in the code");
                if (!example.Contains($"\"{property.Name}\"", StringComparison.Ordinal)) problems.Add($"{key} is not explained in appsettings.example.jsonc");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (IEnumerable x, IEnumerable y) when a is not string => x.Cast<object?>().SequenceEqual(y.Cast<object?>()),
        (null or "", null or "") => true,
        _ => Equals(a, b),
    };

    private static string Show(object? value) => value is IEnumerable e and not string ? $"[{string.Join(", ", e.Cast<object?>())}]" : $"\"{value}\"";
}
