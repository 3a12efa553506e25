using System.Text;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// Where a command's UTF-8 lines go, in blocks of many lines. When the command writes to the console and the console
/// writes UTF-8, the blocks go to the process's standard output as they are (one write each; the console writer would
/// flush every line and encode every character again); otherwise they go through the command's writer (a test's
/// <see cref="StringWriter"/>, or a console that writes another encoding), which sees the same text.
/// </summary>
internal sealed class JsonLinesOutput : IAsyncDisposable
{
    private readonly Stream? _stdout;
    private readonly TextWriter _writer;

    private JsonLinesOutput(TextWriter writer, Stream? stdout)
    {
        (_writer, _stdout) = (writer, stdout);
        NewLine = Encoding.UTF8.GetBytes(writer.NewLine);
    }

    /// <summary>The line ending the writer would write (what <see cref="TextWriter.WriteLine()"/> ends lines with).</summary>
    public byte[] NewLine { get; }

    public static JsonLinesOutput For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage
            ? new JsonLinesOutput(output, Console.OpenStandardOutput())
            : new JsonLinesOutput(output, null);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        if (_stdout is not null) await _stdout.WriteAsync(lines, cancellationToken);
        else await _writer.WriteAsync(Encoding.UTF8.GetString(lines.Span).AsMemory(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stdout is not null) await _stdout.DisposeAsync();
        else await _writer.FlushAsync();
    }
}
