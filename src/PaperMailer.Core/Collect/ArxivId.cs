using System.Text.RegularExpressions;

namespace PaperMailer.Collect;

/// <summary>arXiv identifiers: "2606.13392" (since 2007) or "hep-th/9901001" (before), with an optional "v2" version.</summary>
public static partial class ArxivId
{
    [GeneratedRegex(@"^(?<id>(\d{4}\.\d{4,5})|([a-z\-]+(\.[A-Z]{2})?/\d{7}))(v(?<version>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Returns the id without its version, or null when <paramref name="text"/> is not an arXiv id.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = Pattern().Match(text.Trim());
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>The id without its version and the version number (null when the text names none).</summary>
    public static (string Id, int? Version)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = Pattern().Match(text.Trim());
        if (!match.Success) return null;
        var version = match.Groups["version"];
        return (match.Groups["id"].Value, version.Success && int.TryParse(version.Value, out var v) ? v : null);
    }
}
