using System.Text.RegularExpressions;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// What both transports require of a message's Message-ID and extra headers. A violation is a bug in the code
/// that built the message, so it is reported as <see cref="ArgumentException"/> naming the header.
/// </summary>
internal static partial class OutgoingMessageRules
{
    // Headers the writer produces itself; a second copy from message.Headers would make the message ambiguous.
    private static readonly HashSet<string> OwnHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
    };

    public static void Validate(OutgoingMessage message)
    {
        if (!MessageIdPattern().IsMatch(message.MessageId))
        {
            throw new ArgumentException($"Message-ID \"{message.MessageId}\" is not of the form <left@right> without spaces.");
        }

        foreach ((string name, string value) in message.Headers)
        {
            if (name.Length == 0 || !name.All(c => c is > ' ' and <= '~' and not ':'))
            {
                throw new ArgumentException($"Header name \"{name}\" must be printable ASCII without spaces or ':'.");
            }

            if (OwnHeaders.Contains(name))
            {
                throw new ArgumentException($"Header {name} is written from the message's own properties; remove it from Headers.");
            }

            // Extra headers are structured (List-Unsubscribe, ...): RFC 2047 encoding is not allowed there, so
            // they must already be plain ASCII, on one line.
            if (!value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"Header {name} must be printable ASCII on one line.");
            }
        }
    }

    [GeneratedRegex(@"^<[!-;=?-~]+@[!-;=?-~]+>$")]
    private static partial Regex MessageIdPattern();
}
