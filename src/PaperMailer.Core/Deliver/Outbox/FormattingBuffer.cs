namespace PaperMailer.Deliver.Outbox;

/// <summary>
/// One growable buffer per thread for formatting a message before it is written: a digest run writes 100,000 files,
/// and a new buffer for each was garbage the collector had to keep up with. A buffer grown past
/// <see cref="MaxKeptBytes"/> by an unusually large message is replaced by a small one at the next message.
/// </summary>
internal static class FormattingBuffer
{
    private const int MaxKeptBytes = 1024 * 1024;

    [ThreadStatic]
    private static MemoryStream? t_buffer;

    /// <summary>This thread's buffer, empty; valid until this thread takes it again.</summary>
    public static MemoryStream Take()
    {
        if (t_buffer is not { } buffer || buffer.Capacity > MaxKeptBytes)
        {
            buffer = new MemoryStream(64 * 1024);
            t_buffer = buffer;
        }
        buffer.SetLength(0);
        return buffer;
    }
}
