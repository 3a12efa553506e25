using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperMailer.Configuration;
using PaperMailer.Jobs;
using PaperMailer.Status;

namespace PaperMailer.Cli;

/// <summary>The services a one-shot command needs. <see cref="StartupCheck"/> validates them (CliContext does).</summary>
public static class CliServices
{
    /// <param name="verbose">
    /// Log what the program does (Information and up: the embedding model loaded, texts embedded…) on the error stream,
    /// where it never mixes with a command's output.
    /// </param>
    public static ServiceProvider Build(IConfiguration configuration, LogLevel logLevel = LogLevel.Warning, bool verbose = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(o => { if (verbose) o.LogToStandardErrorThreshold = LogLevel.Trace; })
            .SetMinimumLevel(verbose ? LogLevel.Information : logLevel));
        services.AddPaperMailer(configuration);
        // The service's cron and cluster settings are checked by every command, so a typo shows before `run` is first started.
        services.AddCronRules();
        services.AddSettings<ClusterOptions>(ClusterOptions.SectionName);
        services.AddOperatorStatus();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
