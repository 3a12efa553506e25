using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;
using PaperMailer.Bounces;
using PaperMailer.Cli;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Bounces;

/// <summary>
/// Bounces and complaints end to end: real digests (the command line, in-process, to the outbox) carry per-digest
/// return paths; reports about them — a real Postfix DSN and delay notice, an RFC 5965 complaint — are appended over
/// IMAP to a folder of this test's own on a real Dovecot, and `papermailer bounces` reads them.
/// </summary>
public sealed class BounceMailboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("papermailer-it-").FullName;
    private readonly string _mailbox = "bounces-test-" + Guid.NewGuid().ToString("N")[..10];
    private readonly TestStore _store;

    public BounceMailboxTests() => _store = TestStore.Create(_folder);

    private static readonly string SamplesFile = Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json");

    private string[] Settings =>
    [
        .. _store.Arguments,
        $"--Web:SigningKeyFile={Path.Combine(_folder, "signing.key")}",
        "--Web:PublicBaseUrl=https://papers.example.org",
        $"--Delivery:OutboxDirectory={Path.Combine(_folder, "outbox")}",
        "--Delivery:From=Paper digest <digest@papers.example.org>",
        "--Bounces:Address=bounces@papers.example.org",
        $"--Bounces:Host={TestServers.Imap.Host}",
        $"--Bounces:Port={TestServers.Imap.Port}",
        "--Bounces:Security=None",
        $"--Bounces:UserName={TestServers.ImapUser}",
        $"--Bounces:Password={TestServers.ImapPassword}",
        $"--Bounces:Folder={_mailbox}",
        "--Bounces:Timeout=00:00:20",
    ];

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. Settings], output, output);
        return (exit, output.ToString());
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
        try
        {
            using var client = Connect();
            client.GetFolder(_mailbox).Delete();
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.FolderNotFoundException or ImapCommandException)
        {
            // The folder was never made, or the server is gone: nothing to clean.
        }
    }

    /// <summary>Five subscribers who each get a digest; their digests' return paths, read from the outbox files, by address.</summary>
    private async Task<Dictionary<string, (string ReturnPath, string MessageId)>> SendDigestsAsync(params string[] names)
    {
        Assert.Equal(0, (await RunAsync("collect", "--file", SamplesFile)).Exit);
        foreach (var name in names) Assert.Equal(0, (await RunAsync("subscribers", "add", $"{name}@example.org", "--topics", "llm-agents")).Exit);
        var digest = await RunAsync("digest");
        Assert.True(digest.Exit == 0, digest.Output);
        var sent = new Dictionary<string, (string, string)>();
        foreach (var file in Directory.GetFiles(Path.Combine(_folder, "outbox"), "*.eml"))
        {
            var message = await MimeMessage.LoadAsync(file);
            sent[message.To.Mailboxes.Single().Address] = (message.Headers[HeaderId.ReturnPath]!.Trim('<', '>'), message.MessageId!);
        }
        Assert.Equal(names.Length, sent.Count);
        return sent;
    }

    private ImapClient Connect()
    {
        var client = new ImapClient();
        client.Connect(TestServers.Imap.Host, TestServers.Imap.Port, MailKit.Security.SecureSocketOptions.None);
        client.Authenticate(TestServers.ImapUser, TestServers.ImapPassword);
        return client;
    }

    private void Append(params MimeMessage[] messages)
    {
        using var client = Connect();
        var folder = client.GetFolder(client.PersonalNamespaces[0]).Create(_mailbox, isMessageFolder: true)!;
        folder.Open(FolderAccess.ReadWrite);
        foreach (var message in messages) folder!.Append(new AppendRequest(message, MessageFlags.None));
    }

    /// <summary>Each message in the test's folder: its subject and flags.</summary>
    private List<(string Subject, MessageFlags Flags, IReadOnlySet<string> Keywords)> MailboxState()
    {
        using var client = Connect();
        var folder = client.GetFolder(_mailbox);
        folder.Open(FolderAccess.ReadOnly);
        return folder.Fetch(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags)
            .Select(m => (m.Envelope!.Subject ?? "", m.Flags ?? MessageFlags.None, (IReadOnlySet<string>)m.Keywords)).ToList();
    }

    private async Task<Subscriber> SubscriberAsync(string email) =>
        (await _store.Get<ISubscriberStore>().GetByEmailAsync(email))!;

    [ImapServerFact]
    public async Task Reports_in_the_mailbox_suppress_count_and_unsubscribe_the_right_subscribers_once()
    {
        var sent = await SendDigestsAsync("ada", "ben", "chen", "dan", "eve");
        Assert.All(sent.Values, s => Assert.Matches(@"^bounces\+\d+-[0-9a-f]{16}@papers\.example\.org$", s.ReturnPath));
        var dan = sent["dan@example.org"].ReturnPath;
        var forged = dan[..(dan.IndexOf('-') + 1)] + "0123456789abcdef" + dan[dan.IndexOf('@')..];
        Append(
            BounceSamples.Load(BounceSamples.HardBounce, returnPath: sent["ada@example.org"].ReturnPath),
            BounceSamples.Load(BounceSamples.DelayWarning, returnPath: sent["ben@example.org"].ReturnPath),
            BounceSamples.Load(BounceSamples.Complaint, returnPath: sent["chen@example.org"].ReturnPath),
            // Dan's digest id with a signature we never made: a forged bounce.
            BounceSamples.Load(BounceSamples.HardBounce, returnPath: forged),
            BounceSamples.Load(BounceSamples.AutoReply));

        var first = await RunAsync("bounces");

        Assert.True(first.Exit == 0, first.Output);
        Assert.Contains("ada@example.org: address suppressed (hard bounce 5.1.1: X-Postfix; unknown user: \"nosuchuser\")", first.Output);
        Assert.Contains("ben@example.org: soft bounce counted (1 so far)", first.Output);
        Assert.Contains("chen@example.org: unsubscribed after a complaint (Feedback-Type: abuse)", first.Output);
        Assert.Contains("(no digest of ours): hard report about no digest of ours", first.Output);
        Assert.Contains("left alone, not a delivery or feedback report:", first.Output);
        Assert.Contains("\"Out of office: Your papers for 2 Dec\"", first.Output);
        Assert.Contains("4 reports: 1 suppressed, 1 soft bounces counted, 1 unsubscribed after a complaint, 1 about no digest of ours", first.Output);
        await AssertOutcomeAsync();

        // Every report is marked in the mailbox; the auto-reply is left exactly as it was (not even read).
        var state = MailboxState();
        Assert.Equal(4, state.Count(m => m.Keywords.Contains(BounceMailbox.HandledKeyword) && m.Flags.HasFlag(MessageFlags.Seen)));
        var autoReply = Assert.Single(state, m => m.Subject.StartsWith("Out of office", StringComparison.Ordinal));
        Assert.Equal(MessageFlags.None, autoReply.Flags & ~MessageFlags.Recent);
        Assert.Empty(autoReply.Keywords);

        var second = await RunAsync("bounces");
        Assert.True(second.Exit == 0, second.Output);
        Assert.Contains("0 reports:", second.Output);
        Assert.Contains("1 other messages left alone", second.Output);
        await AssertOutcomeAsync();

        // A pass that died after acting but before marking: the marks are gone, the bounce log still knows each report.
        using (var client = Connect())
        {
            var folder = client.GetFolder(_mailbox);
            folder.Open(FolderAccess.ReadWrite);
            var handled = folder.Search(SearchQuery.HasKeyword(BounceMailbox.HandledKeyword));
            folder.Store(handled, new StoreFlagsRequest(StoreAction.Remove, MessageFlags.Seen, [BounceMailbox.HandledKeyword]));
        }
        var third = await RunAsync("bounces");
        Assert.Contains("4 reports: 0 suppressed, 0 soft bounces counted, 0 unsubscribed after a complaint, 0 about no digest of ours, 0 needing nothing, 4 handled before", third.Output);
        await AssertOutcomeAsync();

        // The operator sees the counts and who bounced softly.
        var status = await RunAsync("status");
        Assert.Contains("hard=1 soft=1 complaints=1 about-no-digest-of-ours=1", status.Output);
        Assert.Contains("  ben@example.org  1 soft bounce", status.Output);
        Assert.Contains("  ada@example.org  since ", status.Output);
    }

    private async Task AssertOutcomeAsync()
    {
        Assert.Equal(SubscriberStatus.Bounced, (await SubscriberAsync("ada@example.org")).Status);
        var ben = await SubscriberAsync("ben@example.org");
        Assert.Equal(SubscriberStatus.Active, ben.Status);
        Assert.Equal(1, await _store.Get<IBounceLog>().CountAsync(ben.Id, BounceRecordKinds.Soft));
        var chen = await SubscriberAsync("chen@example.org");
        Assert.Equal(SubscriberStatus.Unsubscribed, chen.Status);
        var consent = Assert.Single(await _store.Get<IConsentLog>().ListAsync(chen.Id), c => c.Kind == ConsentKinds.Unsubscribed);
        Assert.StartsWith("complaint: the reader reported a digest as abuse", consent.Details);
        Assert.Equal(BounceProcessor.ComplaintChannel, consent.Ip);
        Assert.Equal("ExampleMail-Feedback/2.1", consent.UserAgent);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("dan@example.org")).Status);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("eve@example.org")).Status);
    }

    [ImapServerFact]
    public async Task A_complaint_whose_return_path_was_removed_is_matched_by_the_reported_Message_ID()
    {
        var sent = await SendDigestsAsync("fay", "gus");
        // Some feedback loops leave out the envelope sender; the reported message's Message-ID is what names the digest.
        var report = BounceSamples.Load(BounceSamples.Complaint, returnPath: "someone-else@papers.example.org",
            messageId: sent["fay@example.org"].MessageId);
        Append(report);

        var run = await RunAsync("bounces");

        Assert.True(run.Exit == 0, run.Output);
        Assert.Contains("fay@example.org: unsubscribed after a complaint", run.Output);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync("fay@example.org")).Status);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("gus@example.org")).Status);
    }

    [ImapServerFact]
    public async Task The_service_reads_the_mailbox_on_its_schedule()
    {
        var sent = await SendDigestsAsync("hal", "ivy");
        Append(BounceSamples.Load(BounceSamples.HardBounce, returnPath: sent["hal@example.org"].ReturnPath));

        await using var service = await PaperMailerService.StartAsync(_folder, [.. Settings, "--Bounces:CheckInterval=00:00:01"]);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await SubscriberAsync("hal@example.org")).Status != SubscriberStatus.Bounced)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the service did not read the bounce within 60 seconds; its log:\n{service.Output}");
            await Task.Delay(200);
        }
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("ivy@example.org")).Status);
    }

    [ImapServerFact]
    public async Task A_wrong_password_is_one_sentence_naming_the_settings_and_exit_code_1()
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync(["bounces", .. Settings, "--Bounces:Password=wrong"], output, output);

        Assert.Equal(1, exit);
        Assert.Contains($"Cannot read the bounce mailbox {_mailbox} at {TestServers.Imap.Host}:{TestServers.Imap.Port} as {TestServers.ImapUser}: " +
            "the server refused the user name or password (Bounces:UserName, Bounces__Password)", output.ToString());
    }
}
