using Microsoft.Extensions.Configuration;
using PaperMailer.Configuration;

namespace PaperMailer.Cli;

/// <summary>
/// Configuration layering, lowest first: config/appsettings.json, the environment (Delivery__Transport=Smtp),
/// then configuration arguments on the command line (--Delivery:Transport=Smtp). Configuration arguments are told
/// apart from a command's own options by the colon in their name (and --urls, as in every ASP.NET Core program).
/// </summary>
public static class AppConfiguration
{
    public const string DefaultFile = "config/appsettings.json";

    public static (string[] CommandArgs, string[] ConfigArgs) Split(string[] args)
    {
        var command = new List<string>();
        var config = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..].Split('=')[0] : null;
            if (name is not null && (name.Contains(':') || name.Equals("urls", StringComparison.OrdinalIgnoreCase)))
            {
                config.Add(arg);
                // "--Key value" as well as "--Key=value".
                if (!arg.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    config.Add(args[++i]);
                }
            }
            else
            {
                command.Add(arg);
            }
        }
        return (command.ToArray(), config.ToArray());
    }

    public static IConfigurationRoot Build(string[] configArgs, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var file = Environment.GetEnvironmentVariable("PAPERMAILER_CONFIG") ?? ContentPaths.Resolve(DefaultFile);
        var builder = new ConfigurationBuilder();
        if (File.Exists(file))
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables().AddCommandLine(configArgs);
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }
}
