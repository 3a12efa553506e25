using System.Diagnostics;
using System.Text.Json;

namespace PaperMailer.Testing;

/// <summary>
/// Reads messages with Python's email package (tools/parse_eml.py run by Debian's /usr/bin/python3): an
/// independent MIME parser, so tests do not check our encoder with our own decoder.
/// </summary>
public static class PythonEmail
{
    public const string PythonPath = "/usr/bin/python3";

    public const string MissingReason = "No /usr/bin/python3: the message is read back with Python's email package (Debian package python3).";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static bool Available => File.Exists(PythonPath);

    /// <param name="utf8Headers">Read headers as UTF-8 (RFC 6532), as for a message sent with SMTPUTF8.</param>
    public static async Task<IReadOnlyList<ParsedEmail>> ParseFilesAsync(IReadOnlyList<string> paths, bool utf8Headers = false)
    {
        if (!Available)
        {
            throw new InvalidOperationException(MissingReason);
        }

        string[] options = utf8Headers ? ["--utf8-headers"] : [];
        return await PythonScript.RunJsonAsync<List<ParsedEmail>>("parse_eml.py", [.. options, .. paths], JsonOptions);
    }

    public static async Task<ParsedEmail> ParseAsync(byte[] message)
    {
        string path = Path.Combine(Path.GetTempPath(), $"papermailer-test-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(path, message);
        try
        {
            return (await ParseFilesAsync([path]))[0];
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed record ParsedEmail(
    string Path, string ContentType, string? Boundary, List<ParsedHeader> Headers, List<ParsedPart> Parts, List<string> Defects)
{
    /// <summary>The decoded value of the only header with this name; fails when there is none or more than one.</summary>
    public string Header(string name) => Single(name).Value;

    /// <summary>The raw value, unfolded but not decoded.</summary>
    public string RawHeader(string name) => Single(name).Raw;

    public ParsedHeader Single(string name) =>
        Headers.Single(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ParsedHeader> All(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed record ParsedHeader(string Name, string Raw, string Value, List<string> Defects, List<ParsedAddress>? Addresses);

public sealed record ParsedAddress(string DisplayName, string AddrSpec);

public sealed record ParsedPart(string ContentType, string? Charset, string? TransferEncoding, string? Content, List<string> Defects);
