using System.Runtime.CompilerServices;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// Consecutive lines of a profiles file: their UTF-8 bytes (line breaks removed) and the number of the first, counted
/// from 1 as an editor counts them. Blank lines are kept, so that every line keeps its number.
/// </summary>
internal sealed class LineBatch(int firstLineNumber, byte[] data, List<Range> lines)
{
    public int FirstLineNumber { get; } = firstLineNumber;
    public int Count => lines.Count;
    public ReadOnlySpan<byte> this[int i] => data.AsSpan()[lines[i]];
}

/// <summary>
/// Reads a file of lines block by block and hands its lines out in batches, so that a file of any length is never
/// held in memory. Lines end at "\n", "\r\n" or a lone "\r" (as <see cref="File.ReadAllLines(string)"/> splits
/// them); a UTF-8 byte order mark at the start is skipped.
/// </summary>
internal static class ProfileLineBatches
{
    private const int ReadSize = 64 * 1024;

    /// <summary>The file's lines in batches of <paramref name="linesPerBatch"/> (the last may be shorter).</summary>
    /// <exception cref="InvalidDataException">The file starts with a UTF-16 or UTF-32 byte order mark.</exception>
    public static async IAsyncEnumerable<LineBatch> ReadAsync(string path, int linesPerBatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        var buffer = new byte[ReadSize];
        int start = 0, end = 0;
        var atEnd = false;
        var lineNumber = 1;
        var batch = new BatchBuilder(lineNumber);
        while (true)
        {
            var rest = buffer.AsSpan(start, end - start);
            var lineEnd = rest.IndexOfAny((byte)'\r', (byte)'\n');
            // A "\r" at the end of what was read may be the first half of "\r\n": read on before deciding.
            if (lineEnd >= 0 && (lineEnd + 1 < rest.Length || rest[lineEnd] == '\n' || atEnd))
            {
                batch.Add(rest[..lineEnd]);
                start += lineEnd + (rest[lineEnd] == '\r' && lineEnd + 1 < rest.Length && rest[lineEnd + 1] == '\n' ? 2 : 1);
                lineNumber++;
                if (batch.Count == linesPerBatch)
                {
                    yield return batch.Build();
                    batch = new BatchBuilder(lineNumber);
                }
                continue;
            }
            if (atEnd)
            {
                if (rest.Length > 0) batch.Add(rest);
                if (batch.Count > 0) yield return batch.Build();
                yield break;
            }
            // Keep the unfinished line at the front and read on; the buffer grows only for a line longer than it.
            rest.CopyTo(buffer);
            (start, end) = (0, rest.Length);
            if (buffer.Length - end < ReadSize) Array.Resize(ref buffer, buffer.Length * 2);
            var read = await file.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (lineNumber == 1 && end == 0 && read > 0) start = ByteOrderMarkLength(buffer.AsSpan(0, read));
            end += read;
            atEnd = read == 0;
        }
    }

    private static int ByteOrderMarkLength(ReadOnlySpan<byte> head) => head switch
    {
        [0xEF, 0xBB, 0xBF, ..] => 3,
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0, 0, 0xFE, 0xFF, ..] =>
            throw new InvalidDataException("the file is UTF-16 or UTF-32 text; JSON lines are UTF-8."),
        _ => 0,
    };

    /// <summary>Copies lines into one array per batch, so that the read buffer can be reused while the batch is ranked.</summary>
    private sealed class BatchBuilder(int firstLineNumber)
    {
        private byte[] _data = new byte[16 * 1024];
        private int _length;
        private readonly List<Range> _lines = [];

        public int Count => _lines.Count;

        public void Add(ReadOnlySpan<byte> line)
        {
            if (_data.Length - _length < line.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + line.Length));
            line.CopyTo(_data.AsSpan(_length));
            _lines.Add(new Range(_length, _length + line.Length));
            _length += line.Length;
        }

        public LineBatch Build() => new(firstLineNumber, _data, _lines);
    }
}
