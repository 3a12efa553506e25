using System.Globalization;
using System.Net.Mail;

namespace PaperMailer.Deliver.Smtp;

/// <summary>The envelope addresses (MAIL FROM, RCPT TO) of a message as they go on the wire.</summary>
internal static class SmtpEnvelope
{
    private static readonly IdnMapping Idn = new();

    /// <summary>The address with its domain in ASCII (punycode) unless the server speaks SMTPUTF8, which takes UTF-8 as is.</summary>
    public static string Address(MailAddress address, bool smtpUtf8) =>
        smtpUtf8 || address.Host.All(char.IsAscii) ? address.Address : address.User + "@" + Idn.GetAscii(address.Host);

    /// <summary>A local part outside ASCII can only travel through a server that offers SMTPUTF8 (RFC 6531).</summary>
    public static bool NeedsSmtpUtf8(MailAddress address) => !address.User.All(char.IsAscii);
}
