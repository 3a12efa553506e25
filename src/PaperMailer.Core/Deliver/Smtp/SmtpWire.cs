using System.Buffers;
using System.Text;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// Reads SMTP replies and buffers commands over one stream. Commands are collected and written in one flush, which
/// is what makes pipelining (RFC 2920) cheap: a whole transaction's commands leave in one packet.
/// </summary>
internal sealed class SmtpWire(Stream stream)
{
    private const int MaxLineLength = 8192;   // RFC 5321 allows 512 per reply line; servers' texts stay well under this

    private readonly byte[] _input = new byte[MaxLineLength];
    private readonly ArrayBufferWriter<byte> _output = new(32 * 1024);
    private int _start;
    private int _end;

    public Stream Stream { get; set; } = stream;

    /// <summary>True when the server sent bytes that have not been read yet (must be none before a TLS upgrade).</summary>
    public bool HasUnreadInput => _start < _end;

    public void WriteCommand(string command)
    {
        int length = Encoding.UTF8.GetByteCount(command);
        Span<byte> span = _output.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(command, span);
        span[length] = (byte)'\r';
        span[length + 1] = (byte)'\n';
        _output.Advance(length + 2);
    }

    /// <summary>
    /// Writes the message as DATA content: every line that starts with "." gets a second "." (RFC 5321 4.5.2),
    /// the content ends with CRLF, and the lone "." that ends DATA follows.
    /// </summary>
    public void WriteDotStuffed(ReadOnlySpan<byte> content)
    {
        bool lineStart = true;
        while (!content.IsEmpty)
        {
            if (lineStart && content[0] == (byte)'.')
            {
                WriteRaw("."u8);
            }

            int newline = content.IndexOf((byte)'\n');
            int take = newline < 0 ? content.Length : newline + 1;
            WriteRaw(content[..take]);
            content = content[take..];
            lineStart = newline >= 0;
        }

        WriteRaw(lineStart ? ".\r\n"u8 : "\r\n.\r\n"u8);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.WrittenCount == 0)
        {
            return;
        }

        await Stream.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _output.ResetWrittenCount();
    }

    /// <summary>Discards commands collected but not yet written (after a failure, before the connection is dropped).</summary>
    public void DiscardOutput() => _output.ResetWrittenCount();

    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var texts = new List<string>(1);
        int code = 0;
        while (true)
        {
            string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpProtocolException($"the server sent a line that is not an SMTP reply: \"{Shorten(line)}\"");
            }

            int lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            if (texts.Count > 0 && lineCode != code)
            {
                throw new SmtpProtocolException($"the server changed its reply code within one reply: \"{Shorten(line)}\"");
            }

            code = lineCode;
            texts.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return SmtpReply.FromLines(code, texts);
            }
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = _input.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int length = newline > 0 && _input[_start + newline - 1] == '\r' ? newline - 1 : newline;
                string line = Encoding.UTF8.GetString(_input, _start, length);
                _start += newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_input, _start, _input, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _input.Length)
            {
                throw new SmtpProtocolException($"the server sent a reply line longer than {MaxLineLength} bytes");
            }

            int read = await Stream.ReadAsync(_input.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _end += read;
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
