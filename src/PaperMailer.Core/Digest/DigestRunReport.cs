using PaperMailer.Domain;

namespace PaperMailer.Digest;

/// <summary>What one digest run did, one line per subscriber it touched.</summary>
public sealed class DigestRunReport
{
    private readonly List<DigestRunLine> _lines = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<DigestRunLine> Lines
    {
        get { lock (_lock) return _lines.OrderBy(l => l.Email, StringComparer.Ordinal).ToList(); }
    }

    public void Add(DigestRunLine line)
    {
        lock (_lock) _lines.Add(line);
    }

    public int Count(DeliveryStatus status) => Lines.Count(l => l.Status == status);

    /// <summary>True when any digest is waiting for a retry or failed; the CLI exits non-zero then.</summary>
    public bool HasProblems => Lines.Any(l => l.Status is DeliveryStatus.Deferred or DeliveryStatus.Failed);
}

/// <param name="Status">The ledger status after this run (for a dry run: what would be recorded).</param>
public sealed record DigestRunLine(string Email, DateOnly DigestDate, DeliveryStatus Status, int PaperCount, string? Reply, bool Retry = false);
