using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Digest;

/// <summary>
/// What one digest run did — a line per digest it decided or attempted, counted by outcome — and what it left to
/// others: digests another run decided or holds, and deferred ones whose retry time has not come. The counts are always
/// complete; the lines are a bounded sample, so that a run of 100,000 digests does not hold a line for each until it
/// ends (every digest has its line in the log at Debug): the first <see cref="MaxRoutineLines"/> sent, empty or dry-run
/// lines, and up to <see cref="MaxLines"/> lines of the digests that need attention (deferred, failed, cancelled),
/// however late in the run they come.
/// </summary>
public sealed class DigestRunReport
{
    /// <summary>Lines kept of digests that need attention, and of digests left to others.</summary>
    public const int MaxLines = 10_000;

    /// <summary>Lines kept of digests that went as planned (sent, nothing to send, dry run): a sample, the counts say the rest.</summary>
    public const int MaxRoutineLines = 1_000;

    private readonly List<DigestRunLine> _lines = [];
    private int _routineLines;
    private readonly List<string> _leftToOthers = [];
    private readonly Dictionary<DeliveryStatus, int> _counts = [];
    private readonly Lock _lock = new();
    private int _leftCount;

    public IReadOnlyList<DigestRunLine> Lines
    {
        get { lock (_lock) return _lines.OrderBy(l => l.Email, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>"email (date): why" for digests this run did not send because another run decided or holds them.</summary>
    public IReadOnlyList<string> LeftToOthers
    {
        get { lock (_lock) return _leftToOthers.Order(StringComparer.Ordinal).ToList(); }
    }

    public int LeftToOthersCount { get { lock (_lock) return _leftCount; } }

    /// <summary>What was pending at the end that this run could not take: held by other runs, or waiting for its retry time.</summary>
    public LedgerBacklog? Backlog { get; internal set; }

    /// <summary>The run was stopped (a signal, shutdown) before it got through everyone.</summary>
    public bool Stopped { get; internal set; }

    /// <summary>Digests claimed but not attempted when the run stopped, given back for the next run.</summary>
    public int Released { get; internal set; }

    public void Add(DigestRunLine line)
    {
        lock (_lock)
        {
            _counts[line.Status] = _counts.GetValueOrDefault(line.Status) + 1;
            if (line.Status is DeliveryStatus.Sent or DeliveryStatus.NothingToSend or DeliveryStatus.Queued or DeliveryStatus.FeedOnly)
            {
                if (_routineLines >= MaxRoutineLines) return;
                _routineLines++;
            }
            else if (_lines.Count - _routineLines >= MaxLines) return;
            _lines.Add(line);
        }
    }

    public void AddLeftToOthers(string email, DateOnly date, string why)
    {
        lock (_lock)
        {
            _leftCount++;
            if (_leftToOthers.Count < MaxLines) _leftToOthers.Add($"{email} ({date:yyyy-MM-dd}): {why}");
        }
    }

    public int Count(DeliveryStatus status)
    {
        lock (_lock) return _counts.GetValueOrDefault(status);
    }

    /// <summary>Lines and counts together, for the CLI and logs.</summary>
    public int Total
    {
        get { lock (_lock) return _counts.Values.Sum(); }
    }

    /// <summary>True when any digest is waiting for a retry or failed; the CLI exits non-zero then.</summary>
    public bool HasProblems => Count(DeliveryStatus.Deferred) + Count(DeliveryStatus.Failed) > 0;

    public string Summary(bool dryRun = false)
    {
        var text = $"{Count(DeliveryStatus.Sent)} sent, {Count(DeliveryStatus.Deferred)} deferred, {Count(DeliveryStatus.Failed)} failed, " +
            $"{Count(DeliveryStatus.NothingToSend)} with nothing to send" +
            (Count(DeliveryStatus.Cancelled) > 0 ? $", {Count(DeliveryStatus.Cancelled)} cancelled" : "") +
            (Count(DeliveryStatus.FeedOnly) > 0 ? $", {Count(DeliveryStatus.FeedOnly)} recorded for feeds only (no email)" : "") +
            (dryRun ? $", {Count(DeliveryStatus.Queued)} would be sent (dry run)" : "");
        var others = new List<string>();
        if (LeftToOthersCount > 0) others.Add($"{LeftToOthersCount} decided or sent by another run");
        if (Backlog is { HeldByOthers: > 0 } held) others.Add($"{held.HeldByOthers} being sent by another run now");
        if (Backlog is { WaitingForRetry: > 0 } waiting)
            others.Add($"{waiting.WaitingForRetry} deferred until their retry time (next {waiting.NextRetryAt:yyyy-MM-dd HH:mm} UTC; --retry-now retries them at once)");
        if (Released > 0) others.Add($"{Released} claimed but not attempted, given back for the next run");
        return text + (others.Count > 0 ? "; left to others: " + string.Join(", ", others) : "") + (Stopped ? "; stopped early" : "");
    }
}

/// <param name="Status">The ledger status after this run (for a dry run: what would be recorded).</param>
public sealed record DigestRunLine(string Email, DateOnly DigestDate, DeliveryStatus Status, int PaperCount, string? Reply, bool Retry = false);
