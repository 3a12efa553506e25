namespace PaperMailer.Digest.Delivering;

/// <summary>
/// Orders work round-robin over recipient domains (first of each domain, then the second of each, …). With a
/// per-domain limit, a list sorted by signup would otherwise fill every send slot with one big domain's waiters
/// while other domains' digests queue behind them. The run orders each page of plans this way.
/// </summary>
public static class DomainInterleave
{
    public static IReadOnlyList<T> Order<T>(IReadOnlyList<T> items, Func<T, string> email) =>
        items.Select((item, order) => (item, order, domain: Domain(email(item))))
            .GroupBy(x => x.domain, StringComparer.OrdinalIgnoreCase)
            .SelectMany(group => group.Select((x, rank) => (x.item, x.order, rank)))
            .OrderBy(x => x.rank).ThenBy(x => x.order)
            .Select(x => x.item)
            .ToList();

    private static string Domain(string email) => email[(email.LastIndexOf('@') + 1)..];
}
