namespace PaperMailer.Configuration;

/// <summary>
/// Where relative paths in configuration point. The working directory comes first, so an operator's own
/// templates/ and config/ win; the copies shipped next to the program are the fallback, so the installed
/// program also works when started from elsewhere.
/// </summary>
public static class ContentPaths
{
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        var fromWorkingDirectory = Path.GetFullPath(path);
        if (File.Exists(fromWorkingDirectory) || Directory.Exists(fromWorkingDirectory)) return fromWorkingDirectory;
        var shipped = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(shipped) || Directory.Exists(shipped) ? shipped : fromWorkingDirectory;
    }
}
