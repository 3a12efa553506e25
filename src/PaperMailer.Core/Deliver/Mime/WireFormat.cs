using MimeKit;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// How every message is written, wherever it goes: CRLF line ends, header lines folded at 78 columns, and non-ASCII
/// header text as RFC 2047 encoded words (not raw UTF-8), so the bytes a DKIM signature covers are the bytes the
/// outbox file holds and the bytes MailKit puts on the wire (it writes signed messages without international headers).
/// </summary>
public static class WireFormat
{
    private static readonly FormatOptions Shared = Create();
    private static readonly FormatOptions SharedForSmtp = CreateForSmtp();

    /// <summary>The options; shared, so never change them (take <see cref="FormatOptions.Clone"/> to adjust).</summary>
    public static FormatOptions Options => Shared;

    /// <summary>
    /// The same, without a Return-Path header: over SMTP the return path travels as MAIL FROM, and RFC 5321 4.4 asks
    /// senders not to send the header (the receiving server adds it). DKIM signs no Return-Path, so signatures hold.
    /// </summary>
    public static FormatOptions SmtpOptions => SharedForSmtp;

    private static FormatOptions CreateForSmtp()
    {
        var options = Create();
        options.HiddenHeaders.Add(HeaderId.ReturnPath);
        return options;
    }

    private static FormatOptions Create()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.International = false;
        options.MaxLineLength = 78;
        return options;
    }
}
