using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// One open SMTP session (RFC 5321): connected, greeted, EHLO done, TLS and AUTH as configured, ready for mail
/// transactions. Every step has its own time limit (<see cref="SmtpOptions.Timeout"/>). Not thread-safe: the pool
/// gives a connection to one sender at a time.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SmtpWire _wire;
    private readonly SmtpOptions _options;
    private readonly string _endpoint;

    private SmtpConnection(Socket socket, Stream stream, SmtpOptions options)
    {
        _socket = socket;
        _wire = new SmtpWire(stream);
        _options = options;
        _endpoint = $"{options.Host}:{options.Port}";
        Capabilities = new SmtpCapabilities();
    }

    public SmtpCapabilities Capabilities { get; private set; }

    public bool IsSecure => _wire.Stream is SslStream;

    /// <summary>Transactions completed on this connection (whatever their outcome).</summary>
    public int Transactions { get; set; }

    /// <summary>When the connection was last returned to the pool (a <see cref="TimeProvider"/> timestamp).</summary>
    public long IdleSince { get; set; }

    /// <summary>
    /// True from the moment a message's content is written until the server's reply to it is read: a failure then
    /// leaves unknown whether the server took the message, so the send must not be repeated on another connection.
    /// </summary>
    public bool ContentSent { get; set; }

    /// <summary>False once the connection is in an unknown state or the server said it is closing.</summary>
    public bool Usable { get; set; } = true;

    public static async Task<SmtpConnection> OpenAsync(SmtpOptions options, string heloName, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SmtpConnection? connection = null;
        try
        {
            await Step(options, "connect", ct => socket.ConnectAsync(options.Host, options.Port, ct), cancellationToken).ConfigureAwait(false);
            connection = new SmtpConnection(socket, new NetworkStream(socket, ownsSocket: true), options);
            if (options.Security == SmtpSecurity.SslOnConnect)
            {
                await connection.UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
            }

            await connection.ExpectAsync("greeting", 220, cancellationToken).ConfigureAwait(false);
            await connection.EhloAsync(heloName, cancellationToken).ConfigureAwait(false);
            if (options.Security == SmtpSecurity.StartTls)
            {
                if (!connection.Capabilities.StartTls)
                {
                    throw new SmtpProtocolException($"{connection._endpoint} does not offer STARTTLS, which Smtp:Security=StartTls requires");
                }

                await connection.CommandAsync("STARTTLS", "STARTTLS", 220, cancellationToken).ConfigureAwait(false);
                if (connection._wire.HasUnreadInput)
                {
                    // Bytes sent before the handshake could be an attacker's commands injected in clear (RFC 3207 5).
                    throw new SmtpProtocolException($"{connection._endpoint} sent data before the TLS handshake");
                }

                await connection.UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
                // RFC 3207 4.2: forget everything learned before TLS and ask again.
                await connection.EhloAsync(heloName, cancellationToken).ConfigureAwait(false);
            }

            if (!string.IsNullOrEmpty(options.UserName))
            {
                await connection.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Adds a command to the next flush (pipelining); its reply is read later with <see cref="ReadAsync"/>.</summary>
    public void Queue(string command) => _wire.WriteCommand(command);

    public void QueueContent(ReadOnlySpan<byte> message) => _wire.WriteDotStuffed(message);

    public Task FlushAsync(CancellationToken cancellationToken) =>
        Step(_options, "sending commands", _wire.FlushAsync, cancellationToken);

    public Task<SmtpReply> ReadAsync(string step, CancellationToken cancellationToken) =>
        Step(_options, step, _wire.ReadReplyAsync, cancellationToken);

    /// <summary>Says QUIT and closes; a server that does not answer quickly is simply disconnected.</summary>
    public async Task QuitAsync()
    {
        if (Usable)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                _wire.DiscardOutput();
                Queue("QUIT");
                await _wire.FlushAsync(quick.Token).ConfigureAwait(false);
                await _wire.ReadReplyAsync(quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Closing anyway; the server's goodbye does not matter.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Usable = false;
        await _wire.Stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    private async Task EhloAsync(string heloName, CancellationToken cancellationToken)
    {
        Queue("EHLO " + heloName);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        SmtpReply reply = await ReadAsync("EHLO", cancellationToken).ConfigureAwait(false);
        if (reply.Code != 250)
        {
            throw new SmtpReplyException("EHLO", reply);
        }

        Capabilities = SmtpCapabilities.FromEhloReply(reply);
    }

    private async Task AuthenticateAsync(string user, string password, CancellationToken cancellationToken)
    {
        IReadOnlySet<string> mechanisms = Capabilities.AuthMechanisms;
        if (mechanisms.Contains("PLAIN"))
        {
            // RFC 4616: authorization identity (empty), user, password, separated by NUL, sent with the command.
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
            await CommandAsync("AUTH", "AUTH PLAIN " + token, 235, cancellationToken).ConfigureAwait(false);
        }
        else if (mechanisms.Contains("LOGIN"))
        {
            await CommandAsync("AUTH", "AUTH LOGIN", 334, cancellationToken).ConfigureAwait(false);
            await CommandAsync("AUTH", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)), 334, cancellationToken).ConfigureAwait(false);
            await CommandAsync("AUTH", Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), 235, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new SmtpProtocolException(mechanisms.Count == 0
                ? $"{_endpoint} offers no AUTH, but Smtp:UserName is set"
                : $"{_endpoint} offers AUTH {string.Join(' ', mechanisms)} but PaperMailer speaks only PLAIN and LOGIN");
        }
    }

    private async Task UpgradeToTlsAsync(CancellationToken cancellationToken)
    {
        var tls = new SslStream(_wire.Stream, leaveInnerStreamOpen: false);
        var settings = new SslClientAuthenticationOptions
        {
            TargetHost = _options.Host,
            // The opt-out is logged by the transport when it starts; validation is otherwise the platform's own.
            RemoteCertificateValidationCallback = _options.SkipCertificateValidation ? (_, _, _, _) => true : null,
        };
        await Step(_options, "TLS handshake", ct => tls.AuthenticateAsClientAsync(settings, ct), cancellationToken).ConfigureAwait(false);
        _wire.Stream = tls;
    }

    private async Task ExpectAsync(string step, int code, CancellationToken cancellationToken)
    {
        SmtpReply reply = await ReadAsync(step, cancellationToken).ConfigureAwait(false);
        if (reply.Code != code)
        {
            throw new SmtpReplyException(step, reply);
        }
    }

    private async Task CommandAsync(string step, string command, int code, CancellationToken cancellationToken)
    {
        Queue(command);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await ExpectAsync(step, code, cancellationToken).ConfigureAwait(false);
    }

    private static Task Step(SmtpOptions options, string step, Func<CancellationToken, ValueTask> action, CancellationToken cancellationToken) =>
        Step(options, step, async ct => { await action(ct).ConfigureAwait(false); return true; }, cancellationToken);

    private static Task Step(SmtpOptions options, string step, Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        Step(options, step, async ct => { await action(ct).ConfigureAwait(false); return true; }, cancellationToken);

    /// <summary>Runs one step within <see cref="SmtpOptions.Timeout"/>; running out of time is a protocol failure, not a cancellation.</summary>
    private static async Task<T> Step<T>(SmtpOptions options, string step, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout);
        try
        {
            return await action(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SmtpProtocolException($"{options.Host}:{options.Port} did not complete the {step} within {options.Timeout.TotalSeconds:0.###} s");
        }
    }
}
