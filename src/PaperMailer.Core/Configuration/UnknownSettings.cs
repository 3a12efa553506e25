using Microsoft.Extensions.Configuration;

namespace PaperMailer.Configuration;

/// <summary>
/// Keys inside a known section that no setting reads ("Ranking:MinScre"): the binder ignores them, so a misspelling
/// would silently leave the default in force. Each is named with the nearest key that exists. Keys outside the known
/// sections are not looked at: the environment holds many variables that are none of PaperMailer's business.
/// </summary>
public static class UnknownSettings
{
    public static IReadOnlyList<string> Warnings(IConfiguration configuration, IEnumerable<SettingsSection> sections)
    {
        var known = sections.ToList();
        var warnings = new List<string>();
        foreach (var section in known)
        {
            var names = section.Settings.Select(s => s.Name).ToList();
            // A section that holds sections ("Sources" holds "Sources:Arxiv") has those as known keys too.
            names.AddRange(known.Where(k => k.Name.StartsWith(section.Name + ":", StringComparison.OrdinalIgnoreCase)).Select(k => k.Name[(section.Name.Length + 1)..].Split(':')[0]));
            Check(configuration.GetSection(section.Name), section.Name, names, warnings);
        }
        // Parents that are not options sections themselves ("Sources").
        foreach (var parent in known.Select(k => k.Name).Where(n => n.Contains(':')).Select(n => n[..n.LastIndexOf(':')]).Distinct(StringComparer.OrdinalIgnoreCase)
                     .Where(p => !known.Any(k => string.Equals(k.Name, p, StringComparison.OrdinalIgnoreCase))))
        {
            var children = known.Where(k => k.Name.StartsWith(parent + ":", StringComparison.OrdinalIgnoreCase)).Select(k => k.Name[(parent.Length + 1)..].Split(':')[0]).ToList();
            Check(configuration.GetSection(parent), parent, children, warnings);
        }
        return warnings;
    }

    private static void Check(IConfigurationSection values, string section, List<string> names, List<string> warnings)
    {
        foreach (var child in values.GetChildren())
        {
            if (names.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
            var nearest = names.MinBy(n => Distance(n.ToUpperInvariant(), child.Key.ToUpperInvariant()));
            warnings.Add($"{section}:{child.Key} is not a setting and is ignored; did you mean {section}:{nearest}?");
        }
    }

    /// <summary>Levenshtein distance: single-character insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
