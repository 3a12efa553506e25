using System.Globalization;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// Writes an import's problems one kind to a line, so that a bad topic id repeated on 6,000 rows reads as one line
/// with a count instead of 6,000 near-identical lines. Problems with the same text are one kind; kinds come in the
/// order of the line each first appears on.
/// </summary>
public static class ImportProblemGroups
{
    /// <summary>How many line numbers a kind that occurs on many lines shows.</summary>
    public const int LinesShown = 5;

    /// <summary>
    /// <c>people.csv:7: hour: 25 is not an hour from 0 to 23</c> for a problem on one line;
    /// <c>people.csv: topics: "robotix" is not a known topic (known: …) — 6,239 lines: 3, 4, 5, 6, 8, … (first 5 shown)</c>
    /// for one on many.
    /// </summary>
    public static IReadOnlyList<string> Describe(string displayName, IEnumerable<ImportProblem> problems)
    {
        var kinds = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var problem in problems.OrderBy(p => p.Line))
        {
            if (!kinds.TryGetValue(problem.Text, out var lines))
            {
                kinds.Add(problem.Text, lines = []);
                order.Add(problem.Text);
            }
            lines.Add(problem.Line);
        }
        return order.Select(text => Describe(displayName, text, kinds[text])).ToList();
    }

    private static string Describe(string displayName, string text, List<int> lines)
    {
        if (lines.Count == 1) return lines[0] > 0 ? $"{displayName}:{lines[0]}: {text}" : $"{displayName}: {text}";
        var shown = string.Join(", ", lines.Take(LinesShown));
        var rest = lines.Count > LinesShown ? $", … (first {LinesShown} shown)" : "";
        return $"{displayName}: {text} — {Count(lines.Count)} lines: {shown}{rest}";
    }

    public static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
