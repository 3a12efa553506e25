using System.Diagnostics;
using System.Text.Json;

namespace PaperMailer.Testing;

/// <summary>
/// Runs one of the Python checkers in tools/ with Debian's /usr/bin/python3 and reads the JSON it prints: the tests'
/// independent readers (Python's email package, dkimpy) are all driven this one way.
/// </summary>
public static class PythonScript
{
    /// <param name="script">A file in tools/ (copied beside the tests).</param>
    /// <param name="json">How the script's JSON names map onto <typeparamref name="T"/>.</param>
    /// <param name="failureHint">Said after the exit code when the script fails, e.g. which package it needs.</param>
    public static async Task<T> RunJsonAsync<T>(string script, IEnumerable<string> arguments, JsonSerializerOptions json, string failureHint = "")
    {
        var start = new ProcessStartInfo(PythonEmail.PythonPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tools", script));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {PythonEmail.PythonPath}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}{failureHint}: {await errors}");
        }

        return JsonSerializer.Deserialize<T>(await output, json) ?? throw new InvalidOperationException($"{script} printed no JSON.");
    }
}
