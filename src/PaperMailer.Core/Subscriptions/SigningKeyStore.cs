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

    private static byte[]? TryRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        return Problem(text) is { } problem
            ? throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) {problem}; restore it from a backup, or delete it to make a new key (links already sent then stop working).")
            : Convert.FromBase64String(text);
    }

    /// <summary>
    /// The key is written whole to a file of this process's own, then linked to its final name, which fails when
    /// the name exists: another process won, and its key is the one to use. A reader never sees a half-written key,
    /// and no two processes ever sign with different keys.
    /// </summary>
    private static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var own = $"{path}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(own, options))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                file.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(own, path, overwrite: false);
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                return TryRead(path) ?? throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) disappeared while it was being created; start again.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) cannot be created: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(own);
        }
    }
}
