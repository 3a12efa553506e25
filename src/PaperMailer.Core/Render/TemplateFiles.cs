using System.IO.Enumeration;

namespace PaperMailer.Render;

/// <summary>
/// A cheap stamp of the template folder (relative path, size and last write of every .sbn, and of any .hbs left
/// from before), compared before each render so an operator's edit is picked up without a restart. An unchanged
/// folder costs one directory walk: no sorting, no strings, each file's stamp is hashed and summed.
/// </summary>
internal static class TemplateFiles
{
    private static readonly EnumerationOptions Everywhere = new() { RecurseSubdirectories = true, AttributesToSkip = 0 };

    public static long Fingerprint(string directory)
    {
        var files = new FileSystemEnumerable<long>(directory, Stamp, Everywhere) { ShouldIncludePredicate = IsTemplate };
        long fingerprint = 0;
        foreach (var stamp in files) fingerprint += stamp;
        return fingerprint;
    }

    private static bool IsTemplate(ref FileSystemEntry entry) =>
        !entry.IsDirectory && (entry.FileName.EndsWith(".sbn", StringComparison.Ordinal) || entry.FileName.EndsWith(".hbs", StringComparison.Ordinal));

    private static long Stamp(ref FileSystemEntry entry)
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(entry.Directory));
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(entry.FileName));
        hash.Add(entry.Length);
        hash.Add(entry.LastWriteTimeUtc.UtcTicks);
        // Spread the 32-bit hash over 64 bits so that the sum over files rarely collides.
        return unchecked((long)(uint)hash.ToHashCode() * -7046029254386353131L + entry.Length);
    }
}
