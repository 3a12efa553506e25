using PaperMailer.Configuration;

namespace PaperMailer.Status;

public static class StatusServices
{
    /// <summary>The operator status and the Health settings it is judged by: for `papermailer status`, the status page and /healthz.</summary>
    public static IServiceCollection AddOperatorStatus(this IServiceCollection services)
    {
        services.AddSettings<HealthOptions>(HealthOptions.SectionName);
        services.AddSingleton<OperatorStatusReader>();
        return services;
    }
}
