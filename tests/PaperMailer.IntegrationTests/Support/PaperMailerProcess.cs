using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PaperMailer.Testing;

/// <summary>
/// A `papermailer` command (the CLI as operators run it: its own process) started from the test binaries, optionally at
/// a chosen wall-clock time through faketime (Debian package faketime). Its output is collected as it comes, so a test
/// can wait for a line, signal it, or kill it.
/// </summary>
public sealed class PaperMailerProcess : IDisposable
{
    public const string FaketimeMissingReason = "No faketime on PATH (Debian package faketime): the test runs papermailer at a chosen time.";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PaperMailerProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        process.OutputDataReceived += (_, e) => Append(e.Data, _outputClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, _errorClosed);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string CommandLine { get; }

    /// <summary>The process id; when started at a fake time it is faketime's, so signal only processes started without.</summary>
    public int Id => _process.Id;

    /// <summary>Standard output and error so far, interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public static bool FaketimeAvailable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "faketime")));

    /// <param name="workingDirectory">Where relative paths of the configuration point.</param>
    /// <param name="fakeNow">Run with the wall clock starting at this instant (it then advances normally).</param>
    public static PaperMailerProcess Start(string workingDirectory, IEnumerable<string> arguments, DateTimeOffset? fakeNow = null)
    {
        var papermailer = PaperMailerProgram.Path;
        var start = new ProcessStartInfo { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (fakeNow is { } at)
        {
            if (!FaketimeAvailable) throw new InvalidOperationException(FaketimeMissingReason);
            start.FileName = "faketime";
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add("@" + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            start.ArgumentList.Add(PaperMailerProgram.DotnetHost);
            // The wall clock only: .NET's timers and timeouts keep the real monotonic clock.
            start.Environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
            // And so faketime must leave waits on that clock alone: its correction of them for a faked monotonic clock
            // makes every timed wait in the runtime return at once and spin, which tripled each command's CPU time.
            start.Environment["FAKETIME_FORCE_MONOTONIC_FIX"] = "0";
            start.Environment["TZ"] = "UTC";
        }
        else
        {
            start.FileName = PaperMailerProgram.DotnetHost;
        }
        start.ArgumentList.Add(papermailer);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Not a terminal: plain output, no progress bar.
        start.Environment["TERM"] = "dumb";
        PaperMailerProgram.UseTestRuntime(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        return new PaperMailerProcess(process, string.Join(' ', start.ArgumentList.Take(12)) + (start.ArgumentList.Count > 12 ? " …" : ""));
    }

    /// <summary>Runs a command to its end; fails the test if it takes longer than <paramref name="timeout"/> (default three minutes).</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string workingDirectory, IEnumerable<string> arguments, DateTimeOffset? fakeNow = null, TimeSpan? timeout = null)
    {
        using var process = Start(workingDirectory, arguments, fakeNow);
        var exit = await process.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(3));
        return (exit, process.Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"papermailer did not end within {timeout.TotalSeconds:0} s: {CommandLine}\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process ends at once, whatever it was doing.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGTERM, as a service manager or `kill` sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (_output) _output.AppendLine(line);
    }
}
