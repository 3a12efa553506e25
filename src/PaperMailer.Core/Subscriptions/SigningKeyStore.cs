namespace PaperMailer.Subscriptions;

/// <summary>The key behind signed links: from configuration, or generated once and kept in a file only this user can read.</summary>
internal static class SigningKeyStore
{
    private const int KeyBytes = 32;

    public static byte[] Load(WebOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return Decode(options.SigningKey, "Web:SigningKey");
        }
        var path = Path.GetFullPath(options.SigningKeyFile);
        if (File.Exists(path))
        {
            return Decode(File.ReadAllText(path).Trim(), path);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyBytes);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        try
        {
            // Another process may have created the key meanwhile; theirs wins so every link stays valid.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return Decode(File.ReadAllText(path).Trim(), path);
        }
        return key;
    }

    private static byte[] Decode(string text, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{where} is not base64 text.");
        }
        return key.Length >= KeyBytes ? key : throw new InvalidOperationException($"{where} must hold at least {KeyBytes} bytes of key, found {key.Length}.");
    }
}
