using MimeKit;

namespace PaperMailer.Deliver.Mime;

/// <summary>
/// A text part whose content is held already encoded, with CRLF line breaks (see <see cref="AlternativeBody"/>).
/// MimeKit writes a part's content through a filter that turns LF into CRLF byte by byte even when there is no
/// bare LF left; for the line breaks every message is written with (<see cref="WireFormat"/>) this part writes its
/// bytes as they are, which is what the filter would have produced. Any other format, or content replaced after the
/// part was made, goes MimeKit's own way.
/// </summary>
internal sealed class EncodedTextPart : TextPart
{
    private readonly byte[] _crlfEncoded;
    private readonly MimeContent _content;

    /// <param name="crlfEncoded">The encoded content, every line ended by CRLF (and so ending with CRLF).</param>
    public EncodedTextPart(string subtype, ContentEncoding encoding, byte[] crlfEncoded)
        : base(subtype)
    {
        _crlfEncoded = crlfEncoded;
        _content = new MimeContent(new MemoryStream(crlfEncoded, writable: false), encoding) { NewLineFormat = NewLineFormat.Dos };
        ContentTransferEncoding = encoding;
        Content = _content;
        ContentType.Charset = "utf-8";
    }

    private bool WrittenAsItIs(FormatOptions options) =>
        options.NewLineFormat == NewLineFormat.Dos && ReferenceEquals(Content, _content) && ContentTransferEncoding == _content.Encoding &&
        _crlfEncoded.Length >= 2 && _crlfEncoded[^1] == (byte)'\n';

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!WrittenAsItIs(options))
        {
            base.WriteTo(options, stream, contentOnly, cancellationToken);
            return;
        }
        if (!contentOnly) Headers.WriteTo(options, stream, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        stream.Write(_crlfEncoded, 0, _crlfEncoded.Length);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!WrittenAsItIs(options))
        {
            await base.WriteToAsync(options, stream, contentOnly, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!contentOnly) await Headers.WriteToAsync(options, stream, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_crlfEncoded, cancellationToken).ConfigureAwait(false);
    }
}
