using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace PaperMailer.Bounces;

/// <summary>
/// One pass over the bounce mailbox with MailKit's IMAP client: every message not yet marked
/// <see cref="HandledKeyword"/> is fetched (without marking it read), parsed, and handed to the
/// <see cref="BounceProcessor"/>; a report is then marked \Seen and <see cref="HandledKeyword"/>, so later passes skip
/// it. A message that is not a report is left exactly as it was and listed in the pass's result. If a pass dies
/// between acting and marking, the next one finds the report in the bounce log (by its Message-ID) and only marks it.
/// </summary>
public sealed partial class BounceMailbox(BounceProcessor processor, IOptions<BounceOptions> options, ILogger<BounceMailbox> logger)
{
    /// <summary>The IMAP keyword on each report handled.</summary>
    public const string HandledKeyword = "$PaperMailerHandled";

    private readonly BounceOptions _options = options.Value;

    public bool Configured => _options.HasMailbox;

    /// <exception cref="BounceMailboxException">The server cannot be reached, refuses the login, or lacks the folder; the message says which.</exception>
    public async Task<BounceMailboxPass> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_options.HasMailbox) throw new BounceMailboxException("No bounce mailbox is configured: set Bounces:Host, Bounces:UserName and Bounces__Password.");
        var endpoint = $"{_options.Host}:{_options.Port}";
        using var client = new ImapClient
        {
            Timeout = (int)Math.Min(_options.Timeout.TotalMilliseconds, int.MaxValue),
            ServerCertificateValidationCallback = _options.SkipCertificateValidation ? (_, _, _, _) => true : null,
        };
        // MailKit's asynchronous calls have no time limit of their own: each exchange gets Bounces:Timeout.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken Step()
        {
            limit.CancelAfter(_options.Timeout);
            return limit.Token;
        }

        IMailFolder folder;
        try
        {
            await client.ConnectAsync(_options.Host!, _options.Port, Security(_options.Security), Step());
            await client.AuthenticateAsync(_options.UserName ?? "", _options.Password ?? "", Step());
            folder = await client.GetFolderAsync(_options.Folder, Step());
            await folder.OpenAsync(FolderAccess.ReadWrite, Step());
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw new BounceMailboxException($"Cannot read the bounce mailbox {_options.Folder} at {endpoint} as {_options.UserName}: {Describe(e)}", e);
        }

        var pass = new BounceMailboxPass();
        try
        {
            var uids = await folder.SearchAsync(SearchQuery.NotKeyword(HandledKeyword), Step());
            foreach (var uid in uids)
            {
                using var message = await folder.GetMessageAsync(uid, Step());
                if (BounceReportParser.Parse(message) is not { } report)
                {
                    pass.NotReports.Add($"{message.Date:yyyy-MM-dd HH:mm} from {message.From} \"{message.Subject}\" (IMAP UID {uid.Id})");
                    continue;
                }
                var outcome = await processor.ProcessAsync(ReportKey(message), report, Step());
                pass.Outcomes.Add(outcome);
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen, [HandledKeyword]) { Silent = true }, Step());
            }
            await client.DisconnectAsync(quit: true, Step());
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw new BounceMailboxException($"Reading the bounce mailbox at {endpoint} stopped after {pass.Outcomes.Count} reports: {Describe(e)}", e);
        }
        LogPass(logger, endpoint, pass.Outcomes.Count, pass.NotReports.Count);
        return pass;
    }

    /// <summary>The report's Message-ID; one without (rare, but nothing forces a server to add one) is known by its bytes.</summary>
    public static string ReportKey(MimeMessage message)
    {
        if (!string.IsNullOrWhiteSpace(message.MessageId)) return $"<{message.MessageId}>";
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));
    }

    private static SecureSocketOptions Security(MailboxSecurity security) => security switch
    {
        MailboxSecurity.None => SecureSocketOptions.None,
        MailboxSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.SslOnConnect,
    };

    /// <summary>A failure of the server or the network (not the caller's cancellation, not a bug here).</summary>
    private static bool Unreachable(Exception e, CancellationToken cancellationToken) =>
        e is IOException or System.Net.Sockets.SocketException or ProtocolException or CommandException or AuthenticationException
            or SslHandshakeException or FolderNotFoundException or ServiceNotConnectedException or ImapCommandException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private string Describe(Exception e) => e is OperationCanceledException
        ? $"no answer within {_options.Timeout.TotalSeconds:0.###} s (Bounces:Timeout)"
        : e switch
        {
            AuthenticationException => "the server refused the user name or password (Bounces:UserName, Bounces__Password)",
            FolderNotFoundException => $"there is no folder \"{_options.Folder}\" (Bounces:Folder)",
            _ => e.Message,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Bounce mailbox {Endpoint}: {Reports} reports handled, {NotReports} other messages left alone")]
    private static partial void LogPass(ILogger logger, string endpoint, int reports, int notReports);
}

/// <summary>What one pass over the bounce mailbox did.</summary>
public sealed class BounceMailboxPass
{
    /// <summary>One per report read, in mailbox order.</summary>
    public List<BounceOutcome> Outcomes { get; } = [];

    /// <summary>Messages that are not delivery or feedback reports, left alone: one line each.</summary>
    public List<string> NotReports { get; } = [];

    public int Count(BounceAction action) => Outcomes.Count(o => o.Action == action);

    /// <summary>One line: "3 reports: 1 suppressed, 1 soft bounce counted, 1 unsubscribed ...; 1 other message left alone".</summary>
    public string Summary() =>
        $"{Outcomes.Count} reports: {Count(BounceAction.Suppressed)} suppressed, {Count(BounceAction.Counted)} soft bounces counted, " +
        $"{Count(BounceAction.Unsubscribed)} unsubscribed after a complaint, {Count(BounceAction.Unmatched)} about no digest of ours, " +
        $"{Count(BounceAction.Nothing)} needing nothing, {Count(BounceAction.AlreadyHandled)} handled before; " +
        $"{NotReports.Count} other messages left alone";
}

/// <summary>The bounce mailbox could not be read; the message says what and which setting.</summary>
public sealed class BounceMailboxException(string message, Exception? inner = null) : Exception(message, inner);
