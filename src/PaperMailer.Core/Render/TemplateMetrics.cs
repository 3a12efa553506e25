using System.Diagnostics.Metrics;

namespace PaperMailer.Render;

/// <summary>
/// The template library's instruments (meter <see cref="MeterName"/>): edits taken into use, and sets rejected, either
/// on disk (they do not parse or fail their proof) or later on real data.
/// </summary>
public sealed class TemplateMetrics
{
    public const string MeterName = "PaperMailer.Templates";

    private readonly Counter<long> _reloads;
    private readonly Counter<long> _rejections;

    public TemplateMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _reloads = meter.CreateCounter<long>("papermailer.templates.reloads", "{reload}", "Edited templates taken into use without a restart.");
        _rejections = meter.CreateCounter<long>("papermailer.templates.rejections", "{rejection}",
            "Template sets refused: an edit on disk that does not parse or fails its proof (stage=edit), or a set in use that failed on real data (stage=render).");
    }

    public void Reloaded() => _reloads.Add(1);

    public void EditRejected() => _rejections.Add(1, new KeyValuePair<string, object?>("stage", "edit"));

    public void FailedOnRealData() => _rejections.Add(1, new KeyValuePair<string, object?>("stage", "render"));
}
