using System.Diagnostics;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Support;

/// <summary>Starts the built papermailer program as a separate process, as an operator would.</summary>
public static class ChildProcess
{
    public static Process StartPaperMailer(string workingDirectory, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args)) ?? throw new InvalidOperationException("papermailer did not start.");
        // Drain both streams so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs papermailer to its end and returns its exit code and both streams, kept apart.</summary>
    /// <param name="environment">Variables to set (a null value removes one) on top of this process's own.</param>
    public static async Task<(int Exit, string Out, string Error)> RunPaperMailerAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = StartInfo(workingDirectory, args);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("papermailer did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(patience.Token);
        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(PaperMailerProgram.DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(PaperMailerProgram.Path);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        PaperMailerProgram.UseTestRuntime(start);
        return start;
    }
}
