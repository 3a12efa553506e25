using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperMailer.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a HELP or TYPE comment or a
/// sample "name{label="value",...} value [timestamp]"; every sample belongs to a family whose TYPE came first; label
/// values are escaped as the format says. A line that breaks the format fails the read, naming the line.
/// </summary>
public sealed partial class PrometheusText
{
    private readonly List<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Types => _types;

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var comment = Comment().Match(line);
                if (!comment.Success) throw new FormatException($"line {i + 1} is a comment that is neither HELP nor TYPE: {line}");
                if (comment.Groups["kind"].Value == "TYPE") result._types[comment.Groups["name"].Value] = comment.Groups["rest"].Value;
                continue;
            }
            var sample = Sample().Match(line);
            if (!sample.Success) throw new FormatException($"line {i + 1} is not a sample: {line}");
            var name = sample.Groups["name"].Value;
            if (!result._types.Keys.Any(family => name == family || name.StartsWith(family + "_", StringComparison.Ordinal)))
                throw new FormatException($"line {i + 1}: {name} has no TYPE before it");
            var labels = sample.Groups["label"].Captures.Select((c, n) => (c.Value, sample.Groups["labelValue"].Captures[n].Value))
                .ToDictionary(l => l.Item1, l => Regex.Unescape(l.Item2), StringComparer.Ordinal);
            var value = sample.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            result._samples.Add((name, labels, value));
        }
        return result;
    }

    /// <summary>The value of the one sample with this name whose labels include <paramref name="labels"/>.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        _samples.Single(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Value;

    public IEnumerable<IReadOnlyDictionary<string, string>> LabelsOf(string name) => _samples.Where(s => s.Name == name).Select(s => s.Labels);

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<labelValue>(?:[^""\\\n]|\\[\\""n])*)"",?)*\})? (?<value>[-+]?(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?$")]
    private static partial Regex Sample();
}
