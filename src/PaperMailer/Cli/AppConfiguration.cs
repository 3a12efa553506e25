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
    public const string FileVariable = "PAPERMAILER_CONFIG";

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

    /// <exception cref="CannotStartException">The file named by PAPERMAILER_CONFIG is missing, or a settings file is not valid JSON.</exception>
    public static IConfigurationRoot Build(string[] configArgs, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var named = Environment.GetEnvironmentVariable(FileVariable);
        var file = named ?? ContentPaths.Resolve(DefaultFile);
        var builder = new ConfigurationBuilder();
        if (File.Exists(file))
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        else if (named is not null)
        {
            throw new CannotStartException($"{FileVariable} names {file}, but there is no such file.");
        }
        builder.AddEnvironmentVariables().AddCommandLine(configArgs);
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new CannotStartException($"The settings file {file} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }
}
