using PaperMailer.Render;

namespace PaperMailer.Jobs;

/// <summary>
/// Looks at the templates every few seconds while the service runs, so an edit is checked, and a broken one logged
/// with file, line and column, when it is saved rather than when the next digest happens to be rendered.
/// </summary>
public sealed class TemplateWatcher(TemplateLibrary templates, TimeProvider clock, ILogger<TemplateWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        string? reported = null;
        do
        {
            try
            {
                _ = templates.Version;
                reported = null;
            }
            catch (TemplateException ex) when (ex.Message != reported)
            {
                logger.LogError("Templates unusable: {Reason}", ex.Message);
                reported = ex.Message;
            }
            catch (TemplateException)
            {
                // Already said; the folder is still missing.
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
