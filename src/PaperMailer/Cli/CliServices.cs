using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperMailer.Configuration;

namespace PaperMailer.Cli;

/// <summary>The services a one-shot command needs, built from checked configuration.</summary>
public static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration, LogLevel logLevel = LogLevel.Warning)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .SetMinimumLevel(logLevel));
        services.AddPaperMailer(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
