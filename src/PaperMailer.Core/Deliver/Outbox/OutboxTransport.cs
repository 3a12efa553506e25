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
/// configured, so they are what the Smtp transport would send.
/// </summary>
public sealed partial class OutboxTransport(IOptions<DeliveryOptions> options, ILogger<OutboxTransport> logger, DkimMessageSigner? signer = null) : IMailTransport
{
    private readonly string _configuredDirectory = options.Value.OutboxDirectory;

    public string Name => "outbox";

    // One file at a time keeps the folder's order of arrival the order of sending; writing is not the bottleneck.
    public int MaxConcurrency => 1;

    public async Task<DeliveryResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
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
            await WriteDurablyAsync(tempPath, message, cancellationToken).ConfigureAwait(false);
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

    private static async Task WriteDurablyAsync(string path, MimeMessage message, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await message.WriteToAsync(WireFormat.Options, stream, cancellationToken).ConfigureAwait(false);
            // Flushed to the disk before the rename, so a crash cannot leave a renamed but empty file.
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
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
