using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PaperMailer.Collect;
using PaperMailer.Configuration;
using PaperMailer.Digest;
using PaperMailer.Render;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>
/// /metrics: PaperMailer's meters in the Prometheus text format, through OpenTelemetry's exporter. Counts start at
/// zero with the process, as Prometheus expects. Only loopback clients may scrape unless <see cref="MetricsOptions.AllowRemote"/>.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Every meter PaperMailer records to, one per area.</summary>
    public static readonly string[] MeterNames = [DigestMetrics.MeterName, CollectMetrics.MeterName, TemplateMetrics.MeterName, SubscribeMetrics.MeterName];

    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddSettings<MetricsOptions>(MetricsOptions.SectionName);
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("papermailer"))
            .WithMetrics(metrics => metrics.AddMeter(MeterNames).AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled) return app;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use((http, next) =>
        {
            if (options.AllowRemote || IsLoopback(http.Connection.RemoteIpAddress)) return next(http);
            return http.RequestServices.GetRequiredService<SitePages>().Message(http, "Metrics are for this machine only", StatusCodes.Status403Forbidden,
                $"{Path} answers only clients on the machine the service runs on.",
                "To scrape it from elsewhere, set Metrics:AllowRemote to true (and keep the port away from the internet).").ExecuteAsync(http);
        }), optionsName: null);
        return app;
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
