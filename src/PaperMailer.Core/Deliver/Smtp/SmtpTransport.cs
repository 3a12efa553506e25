using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver.Dkim;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// Sends through an SMTP server with MailKit: a pool of up to <see cref="SmtpOptions.MaxConnections"/> connected,
/// authenticated sessions, each carrying many messages, DKIM-signed when configured. A session is replaced when
/// the server closes it or a send leaves it in doubt, after <see cref="SmtpOptions.MaxMessagesPerConnection"/>
/// messages, or when it has been idle longer than <see cref="MaxIdleTime"/>.
/// </summary>
public sealed partial class SmtpTransport : IMailTransport, IAsyncDisposable, IDisposable
{
    private readonly SmtpOptions _options;
    private readonly DkimMessageSigner _signer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _endpoint;
    private readonly string _heloName;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<SmtpConnection> _idle = new();
    private readonly Lock _idleLock = new();
    private bool _disposed;

    public SmtpTransport(IOptions<SmtpOptions> options, DkimMessageSigner signer, ILogger<SmtpTransport> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _signer = signer;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _endpoint = $"{_options.Host}:{_options.Port}";
        _heloName = string.IsNullOrWhiteSpace(_options.HeloName) ? Dns.GetHostName() : _options.HeloName.Trim();
        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
        if (_options.SkipCertificateValidation && _options.Security != SmtpSecurity.None)
        {
            LogCertificateValidationOff(_logger, _endpoint);
        }

        if (_options.Security == SmtpSecurity.None && !string.IsNullOrEmpty(_options.UserName))
        {
            LogPasswordInClear(_logger, _endpoint);
        }
    }

    /// <summary>How long a connection may sit unused and still be reused: 30 seconds (servers close idle ones).</summary>
    public static TimeSpan MaxIdleTime { get; } = TimeSpan.FromSeconds(30);

    public string Name => "smtp";

    public int MaxConcurrency => _options.MaxConnections;

    public async Task<DeliveryResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (MessageEnvelope.Of(message, out string? problem) is not { } envelope)
        {
            return Report(message, DeliveryResult.Failed($"not sent: {problem}"));
        }

        _signer.Sign(message);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A pooled connection the server has meanwhile closed fails before anything is committed; one fresh
            // connection is then tried, so a server's idle timeout never defers a digest.
            for (int attempt = 0; ; attempt++)
            {
                SmtpConnection? connection = TakeIdle();
                bool reused = connection is not null;
                SmtpStage stage = SmtpStage.Connecting;
                try
                {
                    connection ??= await SmtpConnection.OpenAsync(_options, _heloName, cancellationToken).ConfigureAwait(false);
                    if (envelope.NeedingSmtpUtf8 is { } international && !connection.OffersSmtpUtf8)
                    {
                        Return(connection);
                        connection = null;
                        return Report(message, DeliveryResult.Failed(
                            $"not sent: the address {international.Address} needs SMTPUTF8, which {_endpoint} does not offer " +
                            "(a limit of the mail server, not the recipient's fault: send through a server that offers SMTPUTF8)"));
                    }

                    stage = SmtpStage.Sending;
                    string reply = await connection.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
                    Return(connection);
                    connection = null;
                    return Report(message, DeliveryResult.FromReply(DeliveryOutcome.Sent, 250, reply));
                }
                catch (Exception e) when (SmtpFailure.Covers(e))
                {
                    if (reused && attempt == 0 && connection!.LastSendCommittedNothing && SmtpFailure.MeansDeadConnection(e))
                    {
                        LogReconnecting(_logger, _endpoint, e.Message);
                        continue;
                    }

                    if (connection is { IsConnected: true } && SmtpFailure.LeavesConnectionUsable(e))
                    {
                        Return(connection);
                        connection = null;
                    }

                    return Report(message, SmtpFailure.ToResult(e, stage, _options));
                }
                finally
                {
                    if (connection is not null)
                    {
                        // After a failure or cancellation the session's state is unknown: never reuse it.
                        await connection.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SmtpConnection> open;
        lock (_idleLock)
        {
            _disposed = true;
            open = [.. _idle];
            _idle.Clear();
        }

        await Task.WhenAll(open.Select(c => c.QuitAsync())).ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private SmtpConnection? TakeIdle()
    {
        var expired = new List<SmtpConnection>();
        try
        {
            lock (_idleLock)
            {
                while (_idle.TryPop(out SmtpConnection? idle))
                {
                    if (idle.IsConnected && _time.GetElapsedTime(idle.IdleSince) <= MaxIdleTime)
                    {
                        return idle;
                    }

                    expired.Add(idle);
                }
            }

            return null;
        }
        finally
        {
            // Said goodbye in the background: the sender waiting for a connection should not wait for that.
            foreach (SmtpConnection connection in expired)
            {
                _ = connection.QuitAsync();
            }
        }
    }

    private void Return(SmtpConnection connection)
    {
        bool worn = _options.MaxMessagesPerConnection > 0 && connection.Messages >= _options.MaxMessagesPerConnection;
        if (connection.IsConnected && !worn)
        {
            lock (_idleLock)
            {
                if (!_disposed)
                {
                    connection.IdleSince = _time.GetTimestamp();
                    _idle.Push(connection);
                    return;
                }
            }
        }

        _ = connection.QuitAsync();
    }

    private DeliveryResult Report(MimeMessage message, DeliveryResult result)
    {
        if (result.Outcome == DeliveryOutcome.Sent)
        {
            LogSent(_logger, message.MessageId ?? "(no Message-ID)", _endpoint, result.Reply);
        }
        else
        {
            LogNotSent(_logger, message.MessageId ?? "(no Message-ID)", result.Outcome, result.Reply);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {MessageId} through {Endpoint}: {Reply}")]
    private static partial void LogSent(ILogger logger, string messageId, string endpoint, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageId} not sent ({Outcome}): {Reply}")]
    private static partial void LogNotSent(ILogger logger, string messageId, DeliveryOutcome outcome, string reply);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A pooled connection to {Endpoint} was no longer usable ({Reason}); opening a new one")]
    private static partial void LogReconnecting(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Smtp:SkipCertificateValidation is on: any certificate from {Endpoint} is accepted. Use this only with test servers.")]
    private static partial void LogCertificateValidationOff(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Smtp:Security is None but a user name is set: the password is sent to {Endpoint} unencrypted.")]
    private static partial void LogPasswordInClear(ILogger logger, string endpoint);
}
