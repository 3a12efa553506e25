using System.Diagnostics.Metrics;

namespace PaperMailer.Collect;

/// <summary>Collection's instruments (meter <see cref="MeterName"/>): papers stored per source, and failed collections per source.</summary>
public sealed class CollectMetrics
{
    public const string MeterName = "PaperMailer.Collect";

    private readonly Counter<long> _papers;
    private readonly Counter<long> _failures;

    public CollectMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _papers = meter.CreateCounter<long>("papermailer.papers.collected", "{paper}", "Papers a source brought that were new to the store or changed a stored paper.");
        _failures = meter.CreateCounter<long>("papermailer.collect.failures", "{collection}", "Collections from a source that failed and stored nothing.");
    }

    public void Collected(string source, int newPapers, int updatedPapers)
    {
        _papers.Add(newPapers, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("kind", "new"));
        _papers.Add(updatedPapers, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("kind", "updated"));
    }

    public void Failed(string source) => _failures.Add(1, new KeyValuePair<string, object?>("source", source));
}
