using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PaperMailer.Deliver;
using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Digest.Delivering;

/// <summary>
/// Group commit of attempt outcomes: outcomes are recorded in one ledger transaction per group (after one flush of the
/// transport, for the outbox). A send takes a place in a window of <see cref="DigestOptions.CommitGroupSize"/> places
/// before it starts and gives it back once its outcome is recorded, so at most CommitGroupSize digests are ever accepted
/// and unrecorded: that is all a SIGKILL can cause to be sent again (with the same Message-ID, after the claim's lease).
/// A group closes at half the window (or <see cref="DigestOptions.CommitInterval"/> after its first outcome), so that
/// sends go on in the other half while a group is flushed and recorded: with groups as large as the window, every
/// send waited for each commit, and the run stood still for a flush to the disk every CommitGroupSize digests.
/// </summary>
internal sealed partial class OutcomeRecorder
{
    /// <summary>Tries at recording one group before giving up: about 15 s of waits in all.</summary>
    private const int RecordAttempts = 12;

    private readonly IDeliveryLedger _ledger;
    private readonly IMailTransport _transport;
    private readonly string _claimantId;
    private readonly int _groupSize;
    private readonly int _closeAt;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly DigestRunStages _stages;
    private readonly SemaphoreSlim _window;
    private readonly Channel<(AttemptOutcome Outcome, Action<AttemptOutcome> OnRecorded)> _queue =
        Channel.CreateUnbounded<(AttemptOutcome, Action<AttemptOutcome>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private volatile Exception? _failure;

    public OutcomeRecorder(IDeliveryLedger ledger, IMailTransport transport, string claimantId, int groupSize, TimeSpan interval, DigestRunStages stages,
        ILogger logger)
    {
        (_ledger, _transport, _claimantId, _stages, _logger) = (ledger, transport, claimantId, stages, logger);
        _groupSize = Math.Max(1, groupSize);
        _closeAt = Math.Max(1, _groupSize / 2);
        _interval = interval > TimeSpan.Zero ? interval : TimeSpan.FromMilliseconds(1);
        _window = new SemaphoreSlim(_groupSize);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Waits for a place in the window of unrecorded sends; call before a send starts.</summary>
    public async Task EnterAsync()
    {
        await _window.WaitAsync().ConfigureAwait(false);
        if (_failure is { } failure) throw new InvalidOperationException("Outcomes can no longer be recorded in the ledger.", failure);
    }

    /// <summary>Gives a place back when the send did not happen after all.</summary>
    public void Leave() => _window.Release();

    /// <summary>Records <paramref name="outcome"/> with the next group; <paramref name="onRecorded"/> runs once it is, with what was recorded.</summary>
    public void Add(AttemptOutcome outcome, Action<AttemptOutcome> onRecorded) => _queue.Writer.TryWrite((outcome, onRecorded));

    /// <summary>Records what is left and stops.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_failure is { } failure) throw new InvalidOperationException("Outcomes could not be recorded in the ledger.", failure);
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<(AttemptOutcome Outcome, Action<AttemptOutcome> OnRecorded)>(_closeAt);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            using (var closes = new CancellationTokenSource(_interval))
            {
                while (group.Count < _closeAt)
                {
                    if (reader.TryRead(out var item))
                    {
                        group.Add(item);
                        continue;
                    }
                    try
                    {
                        if (!await reader.WaitToReadAsync(closes.Token).ConfigureAwait(false)) break;
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
            await CommitAsync(group).ConfigureAwait(false);
            var count = group.Count;
            group.Clear();
            if (_failure is not null)
            {
                // Wakes every sender waiting for a place; they stop with the failure instead of sending unrecorded.
                _window.Release(_groupSize);
                return;
            }
            _window.Release(count);
        }
    }

    private async Task CommitAsync(List<(AttemptOutcome Outcome, Action<AttemptOutcome> OnRecorded)> group)
    {
        var outcomes = group.Select(g => g.Outcome).ToList();
        if (_transport is IGroupCommitTransport grouped && outcomes.Any(o => o.Status == DeliveryStatus.Sent))
        {
            try
            {
                using var flushing = _stages.Measure(DigestRunStage.Send);
                await grouped.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFlushFailed(_logger, e.Message);
                outcomes = outcomes.Select(o => o.Status == DeliveryStatus.Sent
                    ? o with { Status = DeliveryStatus.Deferred, Reply = $"could not be made durable: {e.Message}", NextAttemptAt = o.At }
                    : o).ToList();
            }
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var recording = _stages.Measure(DigestRunStage.Ledger);
                await _ledger.RecordOutcomesAsync(_claimantId, outcomes, CancellationToken.None).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (attempt < RecordAttempts && e is System.Data.Common.DbException)
            {
                // A busy SQLite file, or a PostgreSQL server restarting (a few seconds): the sends wait for their places
                // meanwhile, and what the server accepted is recorded once the database is back, not sent again.
                LogRecordRetry(_logger, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2000))).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _failure = e;
                LogRecordFailed(_logger, outcomes.Count, e.Message);
                return;
            }
        }
        for (var i = 0; i < group.Count; i++) group[i].OnRecorded(outcomes[i]);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sent digests could not be flushed to the disk ({Reason}); they are recorded as deferred and written again")]
    private static partial void LogFlushFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording outcomes in the ledger failed ({Reason}); trying again")]
    private static partial void LogRecordRetry(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} outcomes could not be recorded in the ledger ({Reason}); their digests stay claimed and are resent after the lease")]
    private static partial void LogRecordFailed(ILogger logger, int count, string reason);
}
