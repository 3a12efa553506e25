using PaperMailer.Domain;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// The outcome of reading an import file: either every subscriber in it, or every problem found in it, never both.
/// Each error reads <c>file:line: field: what is wrong</c>, where line is the line on which the record starts.
/// </summary>
public sealed class SubscriberImportResult
{
    private SubscriberImportResult(string displayName, IReadOnlyList<ImportedRow> rows, IReadOnlyList<ImportProblem> problems,
        IReadOnlyDictionary<string, int> addressLines)
    {
        DisplayName = displayName;
        Rows = rows;
        Problems = problems;
        AddressLines = addressLines;
        Subscribers = rows.Select(r => r.Subscriber).ToArray();
        Errors = problems.Select(p => p.Line > 0 ? $"{displayName}:{p.Line}: {p.Text}" : $"{displayName}: {p.Text}").ToArray();
    }

    /// <summary>How problems name the file, as in <c>subscribers.csv:12: …</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The subscribers in file order, with their lines; empty when there are errors.</summary>
    public IReadOnlyList<ImportedRow> Rows { get; }

    /// <summary>The subscribers in file order; empty when there are errors.</summary>
    public IReadOnlyList<Subscriber> Subscribers { get; }

    /// <summary>Every problem in file order; empty when the import succeeded.</summary>
    public IReadOnlyList<ImportProblem> Problems { get; }

    /// <summary><see cref="Problems"/> as <c>file:line: problem</c> lines.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>
    /// Every non-empty address in the file and the line it is first listed on (case-insensitive), kept even when the
    /// file has problems, so that addresses that already exist can be reported together with them.
    /// </summary>
    public IReadOnlyDictionary<string, int> AddressLines { get; }

    public bool Succeeded => Problems.Count == 0;

    public static SubscriberImportResult Success(string displayName, IReadOnlyList<ImportedRow> rows, IReadOnlyDictionary<string, int> addressLines) =>
        new(displayName, rows, [], addressLines);

    public static SubscriberImportResult Failure(string displayName, IReadOnlyList<ImportProblem> problems, IReadOnlyDictionary<string, int>? addressLines = null)
    {
        if (problems.Count == 0) throw new ArgumentException("A failed import needs at least one problem.", nameof(problems));
        return new SubscriberImportResult(displayName, [], problems, addressLines ?? new Dictionary<string, int>());
    }
}
