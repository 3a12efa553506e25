using PaperMailer.Subscriptions.Import;

namespace PaperMailer.Cli;

/// <summary>
/// One self-overwriting progress line for a long import, on a terminal only: redirected output (a log, a script, a
/// test) gets nothing extra, so it reads the same whether the file had ten rows or a million.
/// </summary>
internal sealed class ImportProgressLine(TextWriter terminal) : IProgress<SubscriberImportProgress>
{
    /// <summary>Below this many addresses an import is over before a progress line could be read.</summary>
    private const int LargeImport = 10_000;

    private int _width;

    /// <summary>A progress line when <paramref name="error"/> is the process's standard error and that is a terminal; otherwise null.</summary>
    public static ImportProgressLine? ForTerminal(TextWriter error) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? new ImportProgressLine(error) : null;

    public void Report(SubscriberImportProgress value)
    {
        if (value.Total < LargeImport) return;
        Show(value.Done > 0
            ? $"{value.Stage}: {ImportProblemGroups.Count(value.Done)} of {ImportProblemGroups.Count(value.Total)}"
            : $"{value.Stage}: {ImportProblemGroups.Count(value.Total)} subscribers");
    }

    public void Show(string text)
    {
        var line = $"Importing… {text}";
        terminal.Write("\r" + line.PadRight(_width));
        _width = line.Length;
        terminal.Flush();
    }

    /// <summary>Removes the line, so that the report starts at the left margin.</summary>
    public void Clear()
    {
        if (_width == 0) return;
        terminal.Write("\r" + new string(' ', _width) + "\r");
        _width = 0;
    }
}
