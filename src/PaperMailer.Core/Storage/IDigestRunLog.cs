namespace PaperMailer.Storage;

/// <summary>
/// A summary row per digest run (the CLI's or the service's) that decided or attempted anything, written when it ends:
/// what the operator status lists as "last runs" and what /healthz judges the failure rate by. The ledger holds the
/// digests themselves; this holds what each run did with them.
/// </summary>
public interface IDigestRunLog
{
    Task RecordAsync(DigestRunSummary run, CancellationToken cancellationToken = default);

    /// <summary>The latest <paramref name="count"/> runs, newest first.</summary>
    Task<IReadOnlyList<DigestRunSummary>> LatestAsync(int count, CancellationToken cancellationToken = default);
}

/// <param name="Claimant">The run's claimant id (host:pid:id), as the ledger's claims name it.</param>
/// <param name="LeftToOthers">Digests another run decided or was sending.</param>
/// <param name="Released">Claimed but not attempted when the run stopped, given back.</param>
/// <param name="Stopped">The run was stopped before it got through everyone.</param>
public sealed record DigestRunSummary(string Claimant, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int Sent, int Deferred, int Failed,
    int NothingToSend, int Cancelled, int LeftToOthers, int Released, bool Stopped)
{
    public long Id { get; init; }

    /// <summary>Digests this run tried to send: what a failure rate is a share of.</summary>
    public int Attempted => Sent + Deferred + Failed;

    /// <summary>Digests this run decided or attempted (with nothing-to-send days, not counting those left to others).</summary>
    public int Due => Attempted + NothingToSend + Cancelled;

    /// <summary>Whether anything happened at all; a run that only looked and found nobody due is not recorded.</summary>
    public bool DidAnything => Due > 0 || LeftToOthers > 0 || Released > 0;
}
