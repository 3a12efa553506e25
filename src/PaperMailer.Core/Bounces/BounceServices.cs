using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Configuration;
using PaperMailer.Storage;

namespace PaperMailer.Bounces;

public static class BounceServices
{
    /// <summary>Per-digest return paths, the bounce log, report handling and the bounce mailbox, configured by the Bounces section.</summary>
    public static IServiceCollection AddBounces(this IServiceCollection services)
    {
        services.AddSettings<BounceOptions>(BounceOptions.SectionName);
        services.AddSettingsRules<BounceOptions, BounceOptionsRules>();
        services.AddSingleton<BounceReturnPath>();
        services.AddSingleton<BounceProcessor>();
        services.AddSingleton<BounceMailbox>();
        return services;
    }
}
