using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// Sends through an SMTP server with System.Net.Mail. A <see cref="SmtpClient"/> keeps its connection open
/// between messages but handles one message at a time, so this keeps a pool of up to
/// <see cref="SmtpOptions.MaxConnections"/> clients and gives each send a client of its own.
/// </summary>
/// <remarks>
/// A client idle for longer than <see cref="MaxIdleTime"/> is replaced rather than reused: servers close idle
/// connections (RFC 5321 4.5.3.2.7 asks them to wait at least 5 minutes, some wait less), and SmtpClient only
/// notices when the next message fails, which would defer the first digests of every daily run.
/// </remarks>
public sealed partial class SystemNetMailTransport : IMailTransport, IDisposable
{
    private readonly SmtpOptions _options;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<(SmtpClient Client, long IdleSince)> _idle = new();
    private readonly TimeProvider _time;
    private readonly Lock _idleLock = new();
    private readonly IDisposable? _certificateWaiver;
    private bool _disposed;

    public SystemNetMailTransport(IOptions<SmtpOptions> options, ILogger<SystemNetMailTransport> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _endpoint = $"{_options.Host}:{_options.Port}";
        if (_options.Security == SmtpSecurity.SslOnConnect)
        {
            throw new InvalidOperationException("Smtp:Security=SslOnConnect (implicit TLS) is not supported by Delivery:Transport=SystemNetMail; use Delivery:Transport=Smtp or Smtp:Security=StartTls.");
        }

        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);

        if (_options.SkipCertificateValidation && _options.Security == SmtpSecurity.StartTls)
        {
            _certificateWaiver = SmtpCertificateValidation.AcceptAnyCertificateFrom(_options.Host);
            LogCertificateValidationOff(_logger, _endpoint);
        }

        if (_options.Security == SmtpSecurity.None && !string.IsNullOrEmpty(_options.UserName))
        {
            LogPasswordInClear(_logger, _endpoint);
        }
    }

    /// <summary>How long a connection may sit unused and still be reused: 30 seconds.</summary>
    public static TimeSpan MaxIdleTime { get; } = TimeSpan.FromSeconds(30);

    public string Name => "smtp";

    public int MaxConcurrency => _options.MaxConnections;

    public async Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);

        MailMessage mail;
        try
        {
            mail = MailMessageMapping.ToMailMessage(message);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return DeliveryResult.Failed($"not sent: {e.Message}");
        }

        using (mail)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            SmtpClient client = TakeClient();
            bool reusable = false;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.Timeout);
                await client.SendMailAsync(mail, timeout.Token).ConfigureAwait(false);
                reusable = true;
                LogSent(_logger, message.MessageId, _endpoint);
                // SmtpClient does not expose the server's final reply; reaching here means it was 250.
                return DeliveryResult.Sent($"250 accepted by {_endpoint}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Report(message, DeliveryResult.Deferred($"timed out after {_options.Timeout} sending to {_endpoint}"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Report(message, SmtpFailureMapping.FromException(e, _endpoint));
            }
            finally
            {
                // After any failure the connection's state is unknown (mid-transaction, dropped): start afresh.
                ReturnClient(client, reusable);
                _slots.Release();
            }
        }
    }

    public void Dispose()
    {
        lock (_idleLock)
        {
            _disposed = true;
            while (_idle.TryPop(out var idle))
            {
                idle.Client.Dispose();   // sends QUIT on an open connection
            }
        }

        _certificateWaiver?.Dispose();
    }

    private SmtpClient TakeClient()
    {
        var expired = new List<SmtpClient>();
        try
        {
            lock (_idleLock)
            {
                while (_idle.TryPop(out var idle))
                {
                    if (_time.GetElapsedTime(idle.IdleSince) <= MaxIdleTime)
                    {
                        return idle.Client;
                    }

                    expired.Add(idle.Client);
                }
            }
        }
        finally
        {
            expired.ForEach(client => client.Dispose());
        }

        var client = new SmtpClient(_options.Host, _options.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            // On SmtpClient, EnableSsl means STARTTLS after EHLO (it has no implicit TLS on port 465).
            EnableSsl = _options.Security == SmtpSecurity.StartTls,
            Timeout = (int)Math.Min(_options.Timeout.TotalMilliseconds, int.MaxValue),
        };
        if (!string.IsNullOrEmpty(_options.UserName))
        {
            client.UseDefaultCredentials = false;
            client.Credentials = new NetworkCredential(_options.UserName, _options.Password);
        }

        return client;
    }

    private void ReturnClient(SmtpClient client, bool reusable)
    {
        lock (_idleLock)
        {
            if (reusable && !_disposed)
            {
                _idle.Push((client, _time.GetTimestamp()));
                return;
            }
        }

        client.Dispose();
    }

    private DeliveryResult Report(OutgoingMessage message, DeliveryResult result)
    {
        LogNotSent(_logger, message.MessageId, result.Outcome, result.Reply);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {MessageId} through {Endpoint}")]
    private static partial void LogSent(ILogger logger, string messageId, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageId} not sent ({Outcome}): {Reply}")]
    private static partial void LogNotSent(ILogger logger, string messageId, DeliveryOutcome outcome, string reply);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Smtp:SkipCertificateValidation is on: any certificate from {Endpoint} is accepted. Use this only with test servers.")]
    private static partial void LogCertificateValidationOff(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Smtp:Security is None but a user name is set: the password is sent to {Endpoint} unencrypted.")]
    private static partial void LogPasswordInClear(ILogger logger, string endpoint);
}
