namespace PaperMailer.Render;

/// <summary>
/// A cheap stamp of a set of template files (path, size, last write), compared before each render so an operator's
/// edit is picked up without a restart and an unchanged folder costs only a few stat calls.
/// </summary>
internal static class TemplateFiles
{
    public static string Fingerprint(IEnumerable<string> files) =>
        string.Join('|', files.Select(f => { var info = new FileInfo(f); return $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"; }));
}
