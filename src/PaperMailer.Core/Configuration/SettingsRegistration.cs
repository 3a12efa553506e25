using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PaperMailer.Configuration;

/// <summary>
/// The one way an options class enters the program: bound from its section, checked by its data annotations and by
/// any <see cref="IValidateOptions{TOptions}"/> registered for it, and validated at start (<see cref="StartupCheck"/>),
/// so a bad value stops the program before it does anything, with a sentence naming the key.
/// </summary>
public static class SettingsRegistration
{
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services, string section) where TOptions : class
    {
        services.AddSingleton(new SettingsSection(section, typeof(TOptions)));
        // Registered before the binding, so it runs first: see ConvertibleValues for why.
        services.AddSingleton<IConfigureOptions<TOptions>>(sp => new ConvertibleValues<TOptions>(sp.GetRequiredService<IConfiguration>(), section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new AnnotatedRules<TOptions>(section)));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Adds a validator for rules that span fields or need more than an attribute can say.</summary>
    public static IServiceCollection AddSettingsRules<TOptions, TRules>(this IServiceCollection services)
        where TOptions : class
        where TRules : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TRules>());
        return services;
    }

    /// <inheritdoc cref="AddSettingsRules{TOptions, TRules}(IServiceCollection)"/>
    public static IServiceCollection AddSettingsRules<TOptions>(this IServiceCollection services, IValidateOptions<TOptions> rules) where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton(rules));
        return services;
    }
}
