using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;

namespace PaperMailer.Cli;

/// <summary>What every command gets: the checked configuration, a way to build services, and the output streams.</summary>
public sealed class CliContext(string[] configArgs, TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public string[] ConfigArgs { get; } = configArgs;

    /// <summary>Configuration, or null after printing every problem (the command then exits with 2).</summary>
    public IConfigurationRoot? LoadConfiguration(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var configuration = AppConfiguration.Build(ConfigArgs, overrides);
        var problems = ConfigurationCheck.Problems(configuration);
        if (problems.Count == 0) return configuration;
        Error.WriteLine("PaperMailer cannot start: the configuration has problems.");
        foreach (var problem in problems) Error.WriteLine("  " + problem);
        return null;
    }

    /// <summary>
    /// Runs a command body with checked configuration and built services; configuration and start-up problems end
    /// the command with <see cref="ExitCodes.Configuration"/> after saying what is wrong.
    /// </summary>
    public async Task<int> WithServicesAsync(Func<ServiceProvider, Task<int>> body, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        if (LoadConfiguration(overrides) is not { } configuration) return ExitCodes.Configuration;
        using var services = Services(configuration);
        return services is null ? ExitCodes.Configuration : await body(services);
    }

    /// <summary>Builds services and reports start-up errors (a broken topics file, a bad key) as one sentence.</summary>
    public ServiceProvider? Services(IConfiguration configuration, LogLevel logLevel = LogLevel.Warning)
    {
        try
        {
            var services = CliServices.Build(configuration, logLevel);
            // Touch the services whose construction reads files, so their errors surface here and not mid-run.
            _ = services.GetRequiredService<PaperMailer.Topics.ITopicCatalog>();
            return services;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException)
        {
            Error.WriteLine($"PaperMailer cannot start: {ex.Message}");
            return null;
        }
    }
}
