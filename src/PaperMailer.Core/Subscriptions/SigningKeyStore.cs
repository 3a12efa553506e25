using System.Security.Cryptography;
using PaperMailer.Configuration;

namespace PaperMailer.Subscriptions;

/// <summary>
/// The key behind signed links: from configuration, or generated once and kept in a file only this user can read.
/// Several processes may start together on a fresh installation; exactly one key is ever saved, and every process
/// signs with the saved one.
/// </summary>
public static class SigningKeyStore
{
    private const int KeyBytes = 32;

    /// <summary>Whether a key exists, so that links can be made without creating one (commands that only read).</summary>
    public static bool Exists(WebOptions options) =>
        !string.IsNullOrWhiteSpace(options.SigningKey) || File.Exists(Path.GetFullPath(options.SigningKeyFile));

    /// <exception cref="CannotStartException">The key file holds no usable key, or cannot be written.</exception>
    public static byte[] Load(WebOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            // Checked at start (WebOptionsRules).
            return Convert.FromBase64String(options.SigningKey);
        }
        var path = Path.GetFullPath(options.SigningKeyFile);
        return TryRead(path) ?? Create(path);
    }

    /// <summary>What is wrong with a key given as text, or null when it is a usable key.</summary>
    public static string? Problem(string text)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return "is not base64 text";
        }
        return key.Length >= KeyBytes ? null : $"must hold at least {KeyBytes} bytes of key, found {key.Length}";
    }

    /// <summary>The saved key, or null when there is none. A key being written by another process is waited for.</summary>
    private static byte[]? TryRead(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            string text;
            try
            {
                text = File.ReadAllText(path).Trim();
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException) when (attempt < WriteWaits)
            {
                // Locked: its creator is writing it.
                Thread.Sleep(WriteWait);
                continue;
            }
            if (text.Length == 0 && attempt < WriteWaits)
            {
                // Created but not written yet.
                Thread.Sleep(WriteWait);
                continue;
            }
            return Problem(text) is { } problem
                ? throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) {problem}; restore it from a backup, or delete it to make a new key (links already sent then stop working).")
                : Convert.FromBase64String(text);
        }
    }

    private const int WriteWaits = 100;
    private static readonly TimeSpan WriteWait = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Creating the file is the claim: create-new fails when the name exists, so exactly one process creates it, and
    /// it writes the key under an exclusive lock. Every other process reads the key that creator saved (waiting while
    /// it is written), so no two processes ever sign with different keys.
    /// </summary>
    private static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: its key is the one.
            return TryRead(path) ?? throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) disappeared while it was being created; start again.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) cannot be created: {ex.Message}", ex);
        }
    }
}
