using Microsoft.Extensions.Configuration;
using PaperMailer.Configuration;

namespace PaperMailer.Tests.Configuration;

public class ConfigurationCheckTests
{
    private static IReadOnlyList<string> Check(params (string Key, string Value)[] values) =>
        ConfigurationCheck.Problems(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Check());

    [Fact]
    public void The_shipped_settings_file_is_valid() =>
        Assert.Empty(ConfigurationCheck.Problems(new ConfigurationBuilder().AddJsonFile(Support.TestRepository.PathOf("config", "appsettings.json")).Build()));

    [Fact]
    public void An_unknown_transport_names_the_key_and_the_allowed_values() =>
        Assert.Equal(["Delivery:Transport is \"Carrier-Pigeon\", but the allowed values are Outbox, Smtp."], Check(("Delivery:Transport", "Carrier-Pigeon")));

    [Fact]
    public void Values_of_the_wrong_kind_or_range_are_each_reported()
    {
        var problems = Check(("Smtp:Port", "seventy"), ("Digest:Lookback", "tomorrow"), ("Delivery:From", "not an address"), ("Web:PublicBaseUrl", "papers.example.org"))
            .Concat(Check(("Smtp:MaxConnections", "0"))).ToList();

        Assert.Contains("Smtp:Port is \"seventy\", but it must be a whole number.", problems);
        Assert.Contains(problems, p => p.StartsWith("Smtp:MaxConnections:", StringComparison.Ordinal) && p.Contains("between 1 and 256"));
        Assert.Contains(problems, p => p.StartsWith("Digest:Lookback is \"tomorrow\", but it must be a duration", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Delivery:From is \"not an address\"", StringComparison.Ordinal));
        Assert.Single(problems, p => p.StartsWith("Web:PublicBaseUrl", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Web:PublicBaseUrl is \"papers.example.org\"", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void Enum_values_are_accepted_in_any_case() => Assert.Empty(Check(("Smtp:Security", "starttls"), ("Delivery:Transport", "smtp")));
}
