using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PaperMailer.Status;

/// <summary>
/// /healthz's answer: "Healthy", or "Degraded" followed by one line per reason, as plain text. Degraded still answers
/// 200 (the service is up and serving pages); monitors alert on the first word.
/// </summary>
internal static class HealthResponse
{
    public static HealthCheckOptions Options { get; } = new() { ResponseWriter = WriteAsync };

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var reasons = report.Entries.Values.SelectMany(e => e.Data.GetValueOrDefault(StatusHealthCheck.ProblemsKey) as IEnumerable<string> ?? []);
        return http.Response.WriteAsync(string.Join('\n', reasons.Select(r => "- " + r).Prepend(report.Status.ToString())) + "\n");
    }
}
