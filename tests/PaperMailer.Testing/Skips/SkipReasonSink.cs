using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaperMailer.Testing.Skips;

/// <summary>
/// Passes every message of a test run on unchanged, and notes the tests that were skipped; when the test assembly has
/// finished (before that message is passed on) it reports one diagnostic message per skip reason: how many tests it
/// skipped, the reason, and their names. A run that skipped nothing reports nothing.
/// </summary>
public sealed class SkipReasonSink(IMessageSink next, IMessageSink diagnostics) : LongLivedMarshalByRefObject, IMessageSink
{
    private readonly List<(string Test, string Reason)> _skipped = [];

    public bool OnMessage(IMessageSinkMessage message)
    {
        switch (message)
        {
            case ITestSkipped skipped:
                lock (_skipped) _skipped.Add((ShortName(skipped), skipped.Reason));
                break;
            case ITestAssemblyFinished:
                lock (_skipped)
                {
                    foreach (var line in Summary(_skipped)) diagnostics.OnMessage(new DiagnosticMessage(line));
                }
                break;
        }
        return next.OnMessage(message);
    }

    /// <summary>One line per reason, the reason that skipped most tests first: "3 tests skipped: REASON (Class.Test, …)".</summary>
    public static IEnumerable<string> Summary(IEnumerable<(string Test, string Reason)> skipped) =>
        skipped.GroupBy(s => s.Reason, s => s.Test)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {(g.Count() == 1 ? "test" : "tests")} skipped: {g.Key} ({string.Join(", ", g.Order(StringComparer.Ordinal))})");

    /// <summary>The test's name without its namespace (Class.Method), which the summary line repeats for every test.</summary>
    private static string ShortName(ITestSkipped skipped)
    {
        var name = skipped.Test.DisplayName;
        var type = skipped.TestClass.Class.Name;
        var dot = type.LastIndexOf('.');
        return dot > 0 && name.StartsWith(type[..(dot + 1)], StringComparison.Ordinal) ? name[(dot + 1)..] : name;
    }
}
