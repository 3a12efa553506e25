using PaperMailer.Storage;

namespace PaperMailer.Status;

/// <summary>What "retry failed only" says, the same from the CLI and the status page.</summary>
internal static class RetryFailedReport
{
    /// <summary>Digests left failed that are named one by one; the count says the rest.</summary>
    public const int SkippedShown = 20;

    public static string Summary(DateOnly date, RetryFailedResult result) =>
        $"{result.MadeDue} failed digest{(result.MadeDue == 1 ? "" : "s")} of {date:yyyy-MM-dd} {(result.MadeDue == 1 ? "is" : "are")} due again, " +
        "each to be sent once more as the same message by the next digest run" +
        (result.Skipped.Count > 0 ? $"; {result.Skipped.Count} stay{(result.Skipped.Count == 1 ? "s" : "")} failed:" : ".");
}
