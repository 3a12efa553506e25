using System.Collections.Concurrent;
using MimeKit;
using PaperMailer.Deliver;

namespace PaperMailer.Tests.Support;

/// <summary>Stands in for a mail server in unit tests: records every message and answers as told.</summary>
public sealed class RecordingTransport : IMailTransport
{
    public ConcurrentQueue<MimeMessage> Sent { get; } = new();

    /// <summary>Decides the answer per message; default accepts everything.</summary>
    public Func<MimeMessage, DeliveryResult> Answer { get; set; } = _ => DeliveryResult.FromReply(DeliveryOutcome.Sent, 250, "2.0.0 accepted");

    /// <summary>Awaited before each answer, so a test can hold sends in flight; default holds nothing.</summary>
    public Func<MimeMessage, Task>? Hold { get; set; }

    public string Name => "recording";

    public int MaxConcurrency { get; set; } = 4;

    public async Task<DeliveryResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (Hold is { } hold) await hold(message);
        var answer = Answer(message);
        if (answer.Outcome == DeliveryOutcome.Sent) Sent.Enqueue(Copy(message));
        return answer;
    }

    /// <summary>What a server would keep: the message as written and read back (the sender disposes its own once sent).</summary>
    private static MimeMessage Copy(MimeMessage message)
    {
        var bytes = new MemoryStream();
        message.WriteTo(PaperMailer.Deliver.Mime.WireFormat.Options, bytes);
        bytes.Position = 0;
        return MimeMessage.Load(bytes);
    }
}

/// <summary>What tests read from a sent message, in the ledger's terms.</summary>
public static class SentMessageExtensions
{
    /// <summary>The one recipient (every PaperMailer email has exactly one).</summary>
    public static MailboxAddress Recipient(this MimeMessage message) => message.To.Mailboxes.Single();

    /// <summary>The Message-ID as the ledger stores it, in angle brackets.</summary>
    public static string LedgerMessageId(this MimeMessage message) => $"<{message.MessageId}>";
}
