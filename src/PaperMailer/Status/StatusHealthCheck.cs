using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PaperMailer.Status;

/// <summary>/healthz: Healthy, or Degraded with the reasons the operator status gives (an overdue source, a run that failed too much).</summary>
internal sealed class StatusHealthCheck(OperatorStatusReader reader) : IHealthCheck
{
    /// <summary>Where the result's data holds the reasons, one sentence each.</summary>
    public const string ProblemsKey = "problems";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await reader.ReadAsync(cancellationToken);
        return status.Degraded
            ? HealthCheckResult.Degraded(string.Join("; ", status.Problems), data: new Dictionary<string, object> { [ProblemsKey] = status.Problems })
            : HealthCheckResult.Healthy();
    }
}
