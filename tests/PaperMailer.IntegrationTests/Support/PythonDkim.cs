using System.Text.Json;

namespace PaperMailer.Testing;

/// <summary>
/// Verifies DKIM signatures with Debian's python3-dkim (tools/verify_dkim.py), an implementation independent of
/// ours, answering its key lookup with the record we would publish instead of asking DNS.
/// </summary>
public static class PythonDkim
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public static async Task<IReadOnlyList<DkimVerdict>> VerifyFilesAsync(string publicKeyRecord, IReadOnlyList<string> paths)
    {
        return await PythonScript.RunJsonAsync<List<DkimVerdict>>("verify_dkim.py", [publicKeyRecord, .. paths], JsonOptions, " (is python3-dkim installed?)");
    }
}

public sealed record DkimVerdict(string Path, bool Valid, string? Error);
