using MimeKit;

namespace PaperMailer.Deliver;

/// <summary>
/// The sender and the recipient of a message as the transports read them: its one From and its one To. Every email
/// PaperMailer sends goes to one person; anything else is a bug in the code that built the message. The envelope
/// sender (SMTP's MAIL FROM, where bounces go) is the From address, or the message's Return-Path header when it
/// has one (<see cref="SetReturnPath"/>): the SMTP transport sends it as MAIL FROM and leaves the header out, the
/// outbox keeps it in the file for whatever hands the file on.
/// </summary>
public sealed record MessageEnvelope(MailboxAddress Sender, MailboxAddress Recipient, MailboxAddress ReturnPath)
{
    /// <summary>Gives the message an envelope sender of its own (a per-digest bounce address).</summary>
    public static void SetReturnPath(MimeMessage message, MailboxAddress returnPath)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(returnPath);
        message.Headers[HeaderId.ReturnPath] = $"<{returnPath.Address}>";
    }

    /// <summary>The envelope, or null with the reason when the message does not have exactly one From and one To.</summary>
    public static MessageEnvelope? Of(MimeMessage message, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From.Mailboxes.ToList();
        var to = message.To.Mailboxes.ToList();
        problem = from.Count != 1 ? $"the message has {from.Count} From addresses instead of one"
            : to.Count != 1 ? $"the message has {to.Count} To addresses instead of one"
            : message.Cc.Count + message.Bcc.Count > 0 ? "the message has Cc or Bcc addresses; it must go to its one To address only"
            : null;
        var returnPath = message.Headers[HeaderId.ReturnPath] is { } value && MailboxAddress.TryParse(value.Trim(), out var parsed) && parsed.Address.Contains('@')
            ? parsed
            : from.FirstOrDefault();
        return problem is null ? new MessageEnvelope(from[0], to[0], returnPath!) : null;
    }

    /// <summary>An address whose local part is not ASCII travels only through servers that offer SMTPUTF8 (RFC 6531).</summary>
    public MailboxAddress? NeedingSmtpUtf8 =>
        !Recipient.LocalPart.All(char.IsAscii) ? Recipient
        : !Sender.LocalPart.All(char.IsAscii) ? Sender
        : !ReturnPath.LocalPart.All(char.IsAscii) ? ReturnPath
        : null;
}
