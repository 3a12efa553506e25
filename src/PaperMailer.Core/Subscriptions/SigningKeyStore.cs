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

    /// <summary>The saved key, or null when there is none. A key file is only ever whole: it appears by a rename.</summary>
    private static byte[]? TryRead(string path)
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
        return Problem(text) is { } problem
            ? throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) {problem}; restore it from a backup, or delete it to make a new key (links already sent then stop working).")
            : Convert.FromBase64String(text);
    }

    /// <summary>How long a process waits for another that is creating the key.</summary>
    private static readonly TimeSpan CreatorWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Creating the key is done under an exclusive lock on "{key file}.lock", so processes starting together create it
    /// one at a time: the first writes the key to a file of its own and renames it into place (readers never see a
    /// half-written key, whatever the machine's load), the others find it saved when they get the lock and read it.
    /// No two processes ever sign with different keys.
    /// </summary>
    private static byte[] Create(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var creating = HoldCreationLock(path);
            var key = TryRead(path) ?? Write(path);
            // The key exists from here on, so the lock file has done its work: removed while held, so that a process
            // that opens the name afterwards locks a new file and finds the key (the lock file is never removed
            // before the key exists, so two processes can never both find no key under it).
            if (creating is not null) File.Delete(LockPath(path));
            return key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CannotStartException($"The signing key file {path} (Web:SigningKeyFile) cannot be created: {ex.Message}", ex);
        }
    }

    /// <summary>A new key, written to a file of its own and renamed into place.</summary>
    private static byte[] Write(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var written = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.new";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(written, options))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                file.Flush(flushToDisk: true);
            }
            File.Move(written, path);
            return key;
        }
        finally
        {
            File.Delete(written);
        }
    }

    private static string LockPath(string path) => path + ".lock";

    /// <summary>
    /// The lock file, open with no sharing (an advisory lock on Linux and macOS), waiting while another process holds
    /// it; null when the key appeared meanwhile (nothing left to create).
    /// </summary>
    /// <exception cref="IOException">Another process has held the lock for <see cref="CreatorWait"/>.</exception>
    private static FileStream? HoldCreationLock(string path)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(LockPath(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < CreatorWait)
            {
                if (File.Exists(path)) return null;
                Thread.Sleep(20);
            }
        }
    }
}
