namespace PaperMailer.Testing;

/// <summary>
/// Reads the Maildir the test SMTP server writes. The server stores a message (in new/) before it answers 250,
/// so a message a client saw accepted is already there: no waiting. Each file is the DATA as received, after
/// Return-Path, X-Original-To and X-Peer lines the server puts in front.
/// </summary>
public sealed class TestMaildir(string path)
{
    public string Path { get; } = path;

    /// <summary>Files of the messages whose bytes contain <paramref name="marker"/> (e.g. a test run's unique id).</summary>
    public IReadOnlyList<string> FilesContaining(string marker)
    {
        byte[] needle = System.Text.Encoding.UTF8.GetBytes(marker);
        return new[] { "new", "cur" }
            .Select(sub => System.IO.Path.Combine(Path, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Where(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
