using System.Buffers;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// The socket stream under MailKit, holding back what is written until MailKit flushes (after a batch of pipelined
/// commands, after a message), so each batch leaves in one write. MailKit writes a message in 4 KB blocks: without
/// this a 20 KB digest took six writes, six TCP segments and six wake-ups of the server; with it, one.
/// </summary>
/// <remarks>
/// Reading first sends what is held back (the server can only answer what it has received). Disposing drops it:
/// a connection being closed has nothing left worth sending, and unlike a <see cref="BufferedStream"/> this never
/// fails on dispose because the socket already broke.
/// </remarks>
internal sealed class FlushBatchingStream(Stream inner) : Stream
{
    private readonly ArrayBufferWriter<byte> _pending = new(32 * 1024);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override bool CanTimeout => inner.CanTimeout;

    public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }

    public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
        if (_pending.WrittenCount > 0)
        {
            inner.Write(_pending.WrittenSpan);
            _pending.ResetWrittenCount();
        }

        inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount > 0)
        {
            await inner.WriteAsync(_pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _pending.ResetWrittenCount();
        }

        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Flush();
        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
