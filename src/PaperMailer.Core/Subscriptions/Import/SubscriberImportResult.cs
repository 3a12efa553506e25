using PaperMailer.Domain;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// The outcome of reading an import file: either every subscriber in it, or every problem found in it, never both.
/// Each error reads <c>file:line: field: what is wrong</c>, where line is the line on which the record starts.
/// </summary>
public sealed class SubscriberImportResult
{
    private SubscriberImportResult(IReadOnlyList<Subscriber> subscribers, IReadOnlyList<string> errors)
    {
        Subscribers = subscribers;
        Errors = errors;
    }

    /// <summary>The subscribers in file order; empty when there are errors.</summary>
    public IReadOnlyList<Subscriber> Subscribers { get; }

    /// <summary>Every problem in file order; empty when the import succeeded.</summary>
    public IReadOnlyList<string> Errors { get; }

    public bool Succeeded => Errors.Count == 0;

    public static SubscriberImportResult Success(IReadOnlyList<Subscriber> subscribers) => new(subscribers, []);

    public static SubscriberImportResult Failure(IReadOnlyList<string> errors)
    {
        if (errors.Count == 0) throw new ArgumentException("A failed import needs at least one error.", nameof(errors));
        return new SubscriberImportResult([], errors);
    }
}
