namespace PaperMailer.Render;

/// <summary>
/// A cheap stamp of the template folder (path, size, last write of every .sbn, and of any .hbs left from before),
/// compared before each render so an operator's edit is picked up without a restart and an unchanged folder costs
/// only a directory listing.
/// </summary>
internal static class TemplateFiles
{
    public static string Fingerprint(string directory) =>
        string.Join('|', new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.Extension is ".sbn" or ".hbs")
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
}
