using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperMailer.Topics;

namespace PaperMailer.Configuration;

/// <summary>
/// What every command and the service do before anything else: warn about keys no setting reads, validate every
/// options class (the <c>ValidateOnStart</c> registrations), and read the files that services load once (the topics
/// file), so that any problem stops the program before it has written anything.
/// </summary>
public static class StartupCheck
{
    /// <exception cref="OptionsValidationException">A setting is wrong; each failure is one sentence naming its key.</exception>
    /// <exception cref="CannotStartException">A file the settings name cannot be used.</exception>
    public static void Run(IServiceProvider services, TextWriter warnings)
    {
        foreach (var warning in UnknownSettings.Warnings(services.GetRequiredService<IConfiguration>(), services.GetServices<SettingsSection>()))
        {
            warnings.WriteLine($"Warning: {warning}");
        }
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (AggregateException all) when (all.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // One exception per options class; one list of sentences for the operator.
            var failures = all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
            throw new OptionsValidationException(Options.DefaultName, typeof(object), failures);
        }
        try
        {
            _ = services.GetRequiredService<ITopicCatalog>();
        }
        catch (InvalidOperationException ex)
        {
            throw new CannotStartException(ex.Message, ex);
        }
    }
}
