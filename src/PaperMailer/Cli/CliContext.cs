using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using PaperMailer.Configuration;
using PaperMailer.Subscriptions;

namespace PaperMailer.Cli;

/// <summary>What every command gets: the configuration, a way to build checked services, and the output streams.</summary>
public sealed class CliContext(string[] configArgs, TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public string[] ConfigArgs { get; } = configArgs;

    /// <summary>--verbose: commands also log what they do on the error stream (see <see cref="CliServices.Build"/>).</summary>
    public bool Verbose { get; set; }

    /// <exception cref="CannotStartException">A settings file is missing or not valid JSON.</exception>
    public IConfigurationRoot LoadConfiguration(IReadOnlyDictionary<string, string?>? overrides = null) => AppConfiguration.Build(ConfigArgs, overrides);

    /// <summary>
    /// For commands that only read but make links (preview): settings that sign with a throwaway key when no key
    /// exists yet, so that looking never creates the key; null when a key exists.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? ThrowawaySigningKeyIfNone()
    {
        var web = new WebOptions();
        // Web's settings are all text, so binding them cannot fail; the start check validates them afterwards.
        LoadConfiguration().GetSection(WebOptions.SectionName).Bind(web);
        return SigningKeyStore.Exists(web)
            ? null
            : new Dictionary<string, string?> { [$"{WebOptions.SectionName}:{nameof(WebOptions.SigningKey)}"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
    }

    /// <summary>
    /// Runs a command body with checked configuration and built services. A problem with a setting or a file the
    /// settings name escapes as an exception before the body runs, for <see cref="FailureReport"/> to say.
    /// </summary>
    public async Task<int> WithServicesAsync(Func<ServiceProvider, Task<int>> body, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        using var services = Services(LoadConfiguration(overrides));
        return await body(services);
    }

    /// <summary>Builds services and runs the <see cref="StartupCheck"/>, warnings going to the error stream.</summary>
    public ServiceProvider Services(IConfiguration configuration, LogLevel logLevel = LogLevel.Warning)
    {
        var services = CliServices.Build(configuration, logLevel, Verbose);
        try
        {
            StartupCheck.Run(services, Error);
            return services;
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }
}
