namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// What an import did. When <see cref="Problems"/> is not empty nothing was stored and every count is zero.
/// </summary>
public sealed record SubscriberImportReport
{
    public IReadOnlyList<ImportProblem> Problems { get; init; } = [];
    public int Added { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }
    /// <summary>Existing addresses left as they are, including <see cref="NotResubscribed"/>.</summary>
    public int Skipped { get; init; }
    /// <summary>
    /// Addresses in the file whose subscriber unsubscribed or bounced, left so: an operator's file is not the
    /// person's consent. Only <see cref="ExistingAddresses.Update"/> lists them; they are counted in <see cref="Skipped"/>.
    /// </summary>
    public IReadOnlyList<string> NotResubscribed { get; init; } = [];

    public bool Imported => Problems.Count == 0;

    /// <summary>The one line that ends every import, e.g. <c>Imported: 2 added, 1 updated, 5 unchanged, 0 skipped, 0 problems.</c></summary>
    public string Summary()
    {
        var skipped = NotResubscribed.Count > 0
            ? $"{ImportProblemGroups.Count(Skipped)} skipped ({ImportProblemGroups.Count(NotResubscribed.Count)} unsubscribed or bounced, not resubscribed)"
            : $"{ImportProblemGroups.Count(Skipped)} skipped";
        return $"{(Imported ? "Imported" : "Nothing imported")}: {ImportProblemGroups.Count(Added)} added, {ImportProblemGroups.Count(Updated)} updated, "
            + $"{ImportProblemGroups.Count(Unchanged)} unchanged, {skipped}, {ImportProblemGroups.Count(Problems.Count)} problems.";
    }
}
