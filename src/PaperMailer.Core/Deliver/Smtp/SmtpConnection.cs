using System.Net;
using System.Net.Sockets;
using MailKit.Security;
using MimeKit;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// One open SMTP session: connected, greeted, EHLO done, TLS and AUTH as configured, ready for messages. Each stage
/// (connecting, authenticating, sending one message) has <see cref="SmtpOptions.Timeout"/>. Not thread-safe: the
/// pool gives a connection to one sender at a time.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private readonly PaperMailerSmtpClient _client;
    private readonly TimeSpan _timeout;

    private SmtpConnection(PaperMailerSmtpClient client, TimeSpan timeout)
    {
        _client = client;
        _timeout = timeout;
    }

    /// <summary>Messages attempted on this connection, whatever their outcome.</summary>
    public int Messages { get; private set; }

    /// <summary>When the connection was last returned to the pool (a <see cref="TimeProvider"/> timestamp).</summary>
    public long IdleSince { get; set; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Whether the last failed send was refused before the server accepted its recipient (see <see cref="PaperMailerSmtpClient"/>).</summary>
    public bool LastSendCommittedNothing => !_client.RecipientAccepted;

    public bool OffersSmtpUtf8 => _client.Capabilities.HasFlag(MailKit.Net.Smtp.SmtpCapabilities.UTF8);

    /// <exception cref="SmtpStageTimeoutException">The stage took longer than <see cref="SmtpOptions.Timeout"/>.</exception>
    public static async Task<SmtpConnection> OpenAsync(SmtpOptions options, string heloName, CancellationToken cancellationToken)
    {
        var client = new PaperMailerSmtpClient
        {
            LocalDomain = heloName,
            Timeout = (int)Math.Min(options.Timeout.TotalMilliseconds, int.MaxValue),
            // The opt-out is logged by the transport when it starts; validation is otherwise MailKit's (the platform's).
            ServerCertificateValidationCallback = options.SkipCertificateValidation ? (_, _, _, _) => true : null,
        };
        var connection = new SmtpConnection(client, options.Timeout);
        try
        {
            await connection.WithinTimeoutAsync(SmtpStage.Connecting, async ct =>
            {
                // MailKit's own ConnectAsync(host, port) leaves Nagle's algorithm on: each small command then waits
                // for the server's delayed ACK (about 40 ms on Linux). Over this socket, each flush leaves at once.
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(options.Host, options.Port, ct).ConfigureAwait(false);
                    var stream = new FlushBatchingStream(new NetworkStream(socket, ownsSocket: true));
                    await client.ConnectAsync(stream, options.Host, options.Port, SecureSocket(options.Security), ct).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);

            if (!string.IsNullOrEmpty(options.UserName))
            {
                var credentials = new NetworkCredential(options.UserName, options.Password ?? "");
                await connection.WithinTimeoutAsync(SmtpStage.Authenticating,
                    ct => client.AuthenticateAsync(credentials, ct), cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends the message (already prepared and signed) to its envelope; returns the text of the server's 250 reply.</summary>
    public async Task<string> SendAsync(MimeMessage message, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        Messages++;
        _client.StartTransaction();
        string reply = "";
        await WithinTimeoutAsync(SmtpStage.Sending, async ct =>
            reply = await _client.SendAsync(WireFormat.SmtpOptions, message, envelope.ReturnPath, [envelope.Recipient], ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return reply;
    }

    /// <summary>Says QUIT and closes; a server that does not answer quickly is simply disconnected.</summary>
    public async Task QuitAsync()
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _client.DisconnectAsync(quit: true, quick.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or MailKit.ProtocolException or ObjectDisposedException)
        {
            // Closing anyway; the server's goodbye does not matter.
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();   // closes the socket without a word
        return ValueTask.CompletedTask;
    }

    private static SecureSocketOptions SecureSocket(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>
    /// MailKit's asynchronous calls have no time limit of their own (its Timeout covers only its synchronous ones),
    /// so each stage runs under a token that expires after the configured time.
    /// </summary>
    private async Task WithinTimeoutAsync(SmtpStage stage, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            await action(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
        {
            // Whatever MailKit made of the cancellation (it wraps one during a TLS handshake), the cause is the clock.
            throw new SmtpStageTimeoutException(stage, _timeout, e);
        }
    }
}

internal enum SmtpStage { Connecting, Authenticating, Sending }

/// <summary>A stage of an SMTP session took longer than <see cref="SmtpOptions.Timeout"/>.</summary>
internal sealed class SmtpStageTimeoutException(SmtpStage stage, TimeSpan timeout, Exception inner)
    : TimeoutException($"{stage} took longer than {timeout.TotalSeconds:0.###} s", inner)
{
    public SmtpStage Stage { get; } = stage;

    public TimeSpan Timeout { get; } = timeout;
}
