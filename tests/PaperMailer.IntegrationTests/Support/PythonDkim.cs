using System.Diagnostics;
using System.Text.Json;

namespace PaperMailer.Testing;

/// <summary>
/// Verifies DKIM signatures with Debian's python3-dkim (tools/verify_dkim.py), an implementation independent of
/// ours, answering its key lookup with the record we would publish instead of asking DNS.
/// </summary>
public static class PythonDkim
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "tools", "verify_dkim.py");

    public static async Task<IReadOnlyList<DkimVerdict>> VerifyFilesAsync(string publicKeyRecord, IReadOnlyList<string> paths)
    {
        var start = new ProcessStartInfo(PythonEmail.PythonPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ScriptPath);
        start.ArgumentList.Add(publicKeyRecord);
        foreach (string path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {PythonEmail.PythonPath}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"verify_dkim.py exited with {process.ExitCode} (is python3-dkim installed?): {await errors}");
        }

        return JsonSerializer.Deserialize<List<DkimVerdict>>(await output, JsonOptions)
            ?? throw new InvalidOperationException("verify_dkim.py printed no JSON.");
    }
}

public sealed record DkimVerdict(string Path, bool Valid, string? Error);
