using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// One mail transaction (MAIL, RCPT, DATA) on an open connection. With PIPELINING (RFC 2920) the reset of the
/// previous transaction, MAIL, RCPT and DATA go out in one write and their replies are read together, so a message
/// costs two round trips instead of five. Every refusal is returned with the server's reply, never thrown; only a
/// broken connection or a timeout throws.
/// </summary>
internal static class SmtpTransaction
{
    public static async Task<TransactionResult> RunAsync(
        SmtpConnection connection, MailAddress from, MailAddress to, byte[] content, CancellationToken cancellationToken)
    {
        SmtpCapabilities server = connection.Capabilities;
        bool utf8 = SmtpEnvelope.NeedsSmtpUtf8(from) || SmtpEnvelope.NeedsSmtpUtf8(to);
        if (utf8 && !server.SmtpUtf8)
        {
            return TransactionResult.Refused(DeliveryResult.Failed(
                $"not sent: the address {(SmtpEnvelope.NeedsSmtpUtf8(to) ? to.Address : from.Address)} needs SMTPUTF8, which the server does not offer"));
        }

        if (server.MaxSize is { } max && content.Length > max)
        {
            return TransactionResult.Refused(DeliveryResult.Failed(
                $"not sent: the message has {content.Length} octets, more than the {max} the server accepts (SIZE)"));
        }

        bool reset = connection.Transactions > 0;
        bool pipelining = server.Pipelining;
        var mail = new StringBuilder("MAIL FROM:<").Append(SmtpEnvelope.Address(from, server.SmtpUtf8)).Append('>');
        if (server.Size)
        {
            mail.Append(" SIZE=").Append(content.Length.ToString(CultureInfo.InvariantCulture));
        }

        if (server.EightBitMime && content.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0)
        {
            mail.Append(" BODY=8BITMIME");
        }

        if (utf8)
        {
            mail.Append(" SMTPUTF8");
        }

        string rcpt = "RCPT TO:<" + SmtpEnvelope.Address(to, server.SmtpUtf8) + ">";

        // RSET between transactions puts the session in a known state whatever the last one left behind.
        if (reset)
        {
            connection.Queue("RSET");
            if (!pipelining)
            {
                await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (await CheckAsync(connection, "RSET", cancellationToken).ConfigureAwait(false) is { } failed) return failed;
            }
        }

        connection.Queue(mail.ToString());
        if (pipelining)
        {
            connection.Queue(rcpt);
            connection.Queue("DATA");
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            SmtpReply? resetReply = reset ? await connection.ReadAsync("RSET", cancellationToken).ConfigureAwait(false) : null;
            SmtpReply mailReply = await connection.ReadAsync("MAIL FROM", cancellationToken).ConfigureAwait(false);
            SmtpReply rcptReply = await connection.ReadAsync("RCPT TO", cancellationToken).ConfigureAwait(false);
            SmtpReply dataReply = await connection.ReadAsync("DATA", cancellationToken).ConfigureAwait(false);
            SmtpReply? refusal = new[] { resetReply, mailReply, rcptReply }.FirstOrDefault(r => r is { IsPositive: false });
            if (dataReply.Code == 354 && refusal is not null)
            {
                // The server accepted DATA although no recipient was accepted: end it with an empty message (RFC 2920 3.1).
                connection.QueueContent([]);
                await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                await connection.ReadAsync("end of DATA", cancellationToken).ConfigureAwait(false);
            }

            if (refusal is not null)
            {
                return Refusal(connection, refusal, refusal == mailReply ? "MAIL FROM" : refusal == rcptReply ? "RCPT TO" : "RSET");
            }

            if (dataReply.Code != 354)
            {
                return Refusal(connection, dataReply, "DATA");
            }
        }
        else
        {
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (await CheckAsync(connection, "MAIL FROM", cancellationToken).ConfigureAwait(false) is { } mailFailed) return mailFailed;
            connection.Queue(rcpt);
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (await CheckAsync(connection, "RCPT TO", cancellationToken).ConfigureAwait(false) is { } rcptFailed) return rcptFailed;
            connection.Queue("DATA");
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            SmtpReply dataReply = await connection.ReadAsync("DATA", cancellationToken).ConfigureAwait(false);
            if (dataReply.Code != 354)
            {
                return Refusal(connection, dataReply, "DATA");
            }
        }

        connection.QueueContent(content);
        connection.ContentSent = true;
        await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        SmtpReply final = await connection.ReadAsync("end of DATA", cancellationToken).ConfigureAwait(false);
        connection.ContentSent = false;
        return final.Code == 250
            ? new TransactionResult(DeliveryResult.Sent(final.ToString()), final)
            : Refusal(connection, final, "end of DATA");
    }

    private static async Task<TransactionResult?> CheckAsync(SmtpConnection connection, string step, CancellationToken cancellationToken)
    {
        SmtpReply reply = await connection.ReadAsync(step, cancellationToken).ConfigureAwait(false);
        return reply.IsPositive ? null : Refusal(connection, reply, step);
    }

    private static TransactionResult Refusal(SmtpConnection connection, SmtpReply reply, string step)
    {
        // 421: the server is closing the connection (RFC 5321 3.8); the pool must not hand it out again.
        if (reply.Code == 421)
        {
            connection.Usable = false;
        }

        string words = reply.ToString();
        DeliveryResult result = reply.IsTemporary ? DeliveryResult.Deferred(words)
            // A refused sender is the operator's settings, not the recipient's fault: retry after they are fixed,
            // and never count it towards suppressing the recipient. 552 at MAIL is this message's size, a real failure.
            : step is "MAIL FROM" or "RSET" && reply.Code != 552 ? DeliveryResult.Deferred($"{words} (the server refused {step}; check Delivery:From)")
            : DeliveryResult.Failed(words);
        return new TransactionResult(result, reply);
    }
}

/// <param name="Reply">The server's reply that decided the outcome; null when it was decided before anything was sent.</param>
internal sealed record TransactionResult(DeliveryResult Result, SmtpReply? Reply)
{
    public static TransactionResult Refused(DeliveryResult result) => new(result, null);
}
