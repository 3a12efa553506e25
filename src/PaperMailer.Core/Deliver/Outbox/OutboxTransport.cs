using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Deliver.Outbox;

/// <summary>
/// "Sends" a message by writing it as an .eml file into <see cref="DeliveryOptions.OutboxDirectory"/>: the
/// default transport, for trying PaperMailer without a mail server and for handing mail to other tools.
/// A file appears complete or not at all (written beside it, then renamed over), and a resent message
/// (same Message-ID) replaces its file instead of adding a second one. Files are DKIM-signed when DKIM is
/// configured, so they are what the Smtp transport would send. The digest run writes in groups
/// (<see cref="IGroupCommitTransport"/>): files are written beside their names, flushed to the disk together, then
/// renamed, so a group costs one flush instead of one per file and a file still appears complete or not at all.
/// </summary>
public sealed partial class OutboxTransport(IOptions<DeliveryOptions> options, ILogger<OutboxTransport> logger, DkimMessageSigner? signer = null) : IGroupCommitTransport
{
    private readonly string _configuredDirectory = options.Value.OutboxDirectory;
    private readonly Lock _pendingLock = new();
    private List<(string Temp, string Final)> _pending = [];

    public string Name => "outbox";

    // One file at a time keeps the folder's order of arrival the order of sending; writing is not the bottleneck.
    public int MaxConcurrency => 1;

    public Task<DeliveryResult> SendAsync(MimeMessage message, CancellationToken cancellationToken) => Task.FromResult(Write(message, grouped: false, cancellationToken));

    public Task<DeliveryResult> SendUncommittedAsync(MimeMessage message, CancellationToken cancellationToken) => Task.FromResult(Write(message, grouped: true, cancellationToken));

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        List<(string Temp, string Final)> group;
        lock (_pendingLock)
        {
            group = _pending;
            _pending = [];
        }

        if (group.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Contents first, then the names: after a crash a name never points at a file that was not yet on the disk.
        var renamed = 0;
        try
        {
            FileSystemSync.Flush(group.Select(g => g.Temp).ToList());
            for (; renamed < group.Count; renamed++)
            {
                File.Move(group[renamed].Temp, group[renamed].Final, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The files not renamed go back for the next commit: the group holds files whose outcomes belong to the
            // next group of the caller too (written while this one was being recorded), and those are recorded as
            // sent once a later commit succeeds. Dropped here, they would stay hidden .tmp files recorded as sent.
            lock (_pendingLock)
            {
                _pending.InsertRange(0, group.Skip(renamed));
            }
            throw;
        }

        FileSystemSync.Flush([group[^1].Final]);
        return Task.CompletedTask;
    }

    private DeliveryResult Write(MimeMessage message, bool grouped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (MessageEnvelope.Of(message, out string? problem) is null || string.IsNullOrEmpty(message.MessageId))
        {
            return DeliveryResult.Failed($"not written: {problem ?? "the message has no Message-ID"}");
        }

        signer?.Sign(message);
        string fileName = OutboxFileName.For(message.MessageId);
        string shownPath = Path.Combine(_configuredDirectory, fileName);
        string directory = Path.GetFullPath(_configuredDirectory);   // relative: against the current directory
        string finalPath = Path.Combine(directory, fileName);
        string tempPath = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            WriteFile(tempPath, message, durably: !grouped, cancellationToken);
            if (grouped)
            {
                lock (_pendingLock)
                {
                    _pending.Add((tempPath, finalPath));
                }

                LogWritten(logger, message.MessageId, shownPath);
                return DeliveryResult.Sent($"written {shownPath}");
            }

            // Rename within one folder is atomic: readers see the old file or the new one, never a part.
            File.Move(tempPath, finalPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(tempPath);
            if (e is OperationCanceledException)
            {
                throw;
            }

            LogWriteFailed(logger, shownPath, e.Message);
            return DeliveryResult.Deferred($"could not write {shownPath}: {e.Message}");
        }

        LogWritten(logger, message.MessageId, shownPath);
        return DeliveryResult.Sent($"written {shownPath}");
    }

    /// <remarks>
    /// Written synchronously: a local file write of a few tens of KB into the page cache takes microseconds, and
    /// .NET's asynchronous file I/O on Linux only moves it to a thread-pool thread at a cost of its own (measured in
    /// the run bench's profile: about a tenth of the run's CPU went to that machinery). The message is formatted into
    /// this thread's reused buffer and written with one call to an unbuffered file: a buffered FileStream allocated a
    /// 64 KB buffer per file, the largest allocation of a digest run, and MimeKit's many small writes cost a copy each.
    /// </remarks>
    private static void WriteFile(string path, MimeMessage message, bool durably, CancellationToken cancellationToken)
    {
        MemoryStream formatted = FormattingBuffer.Take();
        message.WriteTo(WireFormat.Options, formatted, cancellationToken);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        stream.Write(formatted.GetBuffer(), 0, (int)formatted.Length);
        stream.Flush(flushToDisk: durably);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover hidden .tmp file is harmless and the original error matters more.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wrote {MessageId} to {Path}")]
    private static partial void LogWritten(ILogger logger, string messageId, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Path}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);
}
