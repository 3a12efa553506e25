namespace PaperMailer.Web;

/// <summary>The Prometheus scrape endpoint of `papermailer run`.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Whether /metrics answers at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether clients other than this machine (loopback) may scrape /metrics. Default false: a Prometheus elsewhere
    /// needs this set, or a reverse proxy that forwards /metrics only to it. Behind a proxy on this machine every
    /// request comes from loopback, so the proxy must keep /metrics to itself.
    /// </summary>
    public bool AllowRemote { get; set; }
}
