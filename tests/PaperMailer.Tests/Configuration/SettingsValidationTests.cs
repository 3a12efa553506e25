using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PaperMailer.Cli;
using PaperMailer.Configuration;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Configuration;

/// <summary>The start check every command and the service run: one sentence per bad value, naming its key.</summary>
public class SettingsValidationTests
{
    private static (IReadOnlyList<string> Problems, string Warnings) Check(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Topics:File", TestRepository.PathOf("config", "topics.json")), new("Templates:Directory", TestRepository.PathOf("templates"))])
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        using var services = CliServices.Build(configuration);
        var warnings = new StringWriter();
        try
        {
            StartupCheck.Run(services, warnings);
            return ([], warnings.ToString());
        }
        catch (OptionsValidationException ex)
        {
            return (ex.Failures.ToList(), warnings.ToString());
        }
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Check().Problems);

    [Fact]
    public void The_shipped_settings_file_is_valid()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(TestRepository.PathOf("config", "appsettings.json")).Build()
            .AsEnumerable().Where(kv => kv.Value is not null && !kv.Key.StartsWith("Topics:", StringComparison.Ordinal) && !kv.Key.StartsWith("Templates:Directory", StringComparison.Ordinal))
            .Select(kv => (kv.Key, kv.Value!)).ToArray();
        var (problems, warnings) = Check(shipped);
        Assert.Empty(problems);
        Assert.Equal("", warnings);
    }

    [Fact]
    public void An_unknown_transport_names_the_key_and_the_allowed_values() =>
        Assert.Equal(["Delivery:Transport is \"Carrier-Pigeon\", but the allowed values are Outbox, Smtp."], Check(("Delivery:Transport", "Carrier-Pigeon")).Problems);

    [Fact]
    public void Values_of_the_wrong_kind_or_range_are_each_reported()
    {
        var problems = Check(("Smtp:Port", "seventy"), ("Digest:Lookback", "tomorrow"), ("Delivery:From", "not an address"), ("Web:PublicBaseUrl", "papers.example.org"), ("Ranking:ProximityWindow", "0")).Problems;

        Assert.Contains("Smtp:Port is \"seventy\", but it must be a whole number.", problems);
        Assert.Contains(problems, p => p.StartsWith("Digest:Lookback is \"tomorrow\", but it must be a duration", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Delivery:From is \"not an address\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Ranking:ProximityWindow:", StringComparison.Ordinal) && p.Contains("between 1 and 100", StringComparison.Ordinal));
        Assert.Single(problems, p => p.StartsWith("Web:PublicBaseUrl is \"papers.example.org\"", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void Enum_values_are_accepted_in_any_case() => Assert.Empty(Check(("Smtp:Security", "starttls"), ("Delivery:Transport", "smtp")).Problems);

    /// <summary>Each of these was accepted at start and failed later, or crashed with a stack trace.</summary>
    [Theory]
    [InlineData("Smtp:Timeout", "-1")]
    [InlineData("Smtp:Timeout", "00:00:00")]
    [InlineData("Delivery:RetryBaseDelay", "00:00:00")]
    [InlineData("Delivery:RetryBaseDelay", "-00:05:00")]
    [InlineData("Delivery:MaxMessagesPerSecond", "NaN")]
    [InlineData("Ranking:MinScore", "NaN")]
    [InlineData("Web:SigningKey", "short")]
    [InlineData("Web:SigningKey", "c2hvcnQ=")]
    [InlineData("Storage:ConnectionString", "garbage=1")]
    [InlineData("Storage:ConnectionString", "Cache=Shared")]
    [InlineData("Schedule:DigestCheckInterval", "00:00:00")]
    [InlineData("Schedule:FirstDigestCheckDelay", "-00:01:00")]
    [InlineData("Collect:Cron", "every hour")]
    [InlineData("Sources:Arxiv:Cron", "whenever")]
    [InlineData("Sources:HuggingFace:CronTimeZone", "Mars/Olympus")]
    [InlineData("Digest:Lookback", "-1.00:00:00")]
    [InlineData("Digest:ClaimLease", "00:00:00")]
    [InlineData("Digest:CommitGroupSize", "0")]
    [InlineData("Subscriptions:ConfirmationExpiry", "00:00:00")]
    [InlineData("Dkim:Domain", "example.org")]
    public void A_bad_value_is_one_sentence_naming_its_key(string key, string value)
    {
        var problem = Assert.Single(Check((key, value)).Problems);
        Assert.StartsWith(key.Split(':')[0], problem, StringComparison.Ordinal);
        Assert.Contains(key, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.example.org;Username=papermailer;Password=hunter2-secret", "Storage:ConnectionString names no Database")]
    [InlineData("Database=papermailer;Username=papermailer;Password=hunter2-secret", "Storage:ConnectionString names no Host")]
    [InlineData("Host=db.example.org;Database=papermailer;Password=hunter2-secret;Colour=blue", "Storage:ConnectionString is not a valid PostgreSQL connection string")]
    public void A_postgres_connection_string_must_name_host_and_database_and_its_password_is_never_repeated(string connectionString, string start)
    {
        var problem = Assert.Single(Check(("Storage:Provider", "Postgres"), ("Storage:ConnectionString", connectionString)).Problems);
        Assert.StartsWith(start, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_postgres_connection_string_with_host_and_database_is_accepted() =>
        Assert.Empty(Check(("Storage:Provider", "postgres"), ("Storage:ConnectionString", "Host=db.example.org;Port=5432;Database=papermailer;Username=papermailer")).Problems);

    [Fact]
    public void A_signing_key_is_never_repeated_in_its_problem()
    {
        var problem = Assert.Single(Check(("Web:SigningKey", "hunter2-secret")).Problems);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_key_is_a_warning_naming_the_nearest_key()
    {
        var (problems, warnings) = Check(("Ranking:MinScre", "2"), ("Sources:Arxv:Cron", "0 0 * * * ?"), ("Unrelated:Thing", "x"));
        Assert.Empty(problems);
        Assert.Equal(
            ["Warning: Ranking:MinScre is not a setting and is ignored; did you mean Ranking:MinScore?",
             "Warning: Sources:Arxv is not a setting and is ignored; did you mean Sources:Arxiv?"],
            warnings.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
