using System.Diagnostics;

namespace PaperMailer.RankBench;

/// <summary>
/// A program that ranks the profiles file and prints one JSON line per profile: started as its own process by the
/// shell with its standard output redirected to a file, as a user would run it (no pipe through this process, which
/// would take a core's share on a small machine), and timed from start to exit.
/// </summary>
internal sealed record Contender(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Runs once; fails unless the program exits 0 having printed one line per profile (any output when <paramref name="expectedLines"/> is null).</summary>
    public async Task<TimeSpan> RunAsync(string outputFile, int? expectedLines)
    {
        // sh -c 'exec "$@" > "$0"' OUTPUT PROGRAM ARGS...: the shell only redirects, then becomes the program.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-c", "exec \"$@\" > \"$0\"", outputFile, FileName, .. Arguments]) start.ArgumentList.Add(argument);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = watch.Elapsed;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Name} exited with {process.ExitCode}: {(await error).Trim()}");
        if (expectedLines is null) return elapsed;
        var lines = CountLines(outputFile);
        if (lines != expectedLines) throw new InvalidOperationException($"{Name} printed {lines} lines for {expectedLines} profiles.");
        return elapsed;
    }

    private static int CountLines(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        var lines = 0;
        int read;
        while ((read = file.Read(buffer)) > 0) lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return lines;
    }
}
