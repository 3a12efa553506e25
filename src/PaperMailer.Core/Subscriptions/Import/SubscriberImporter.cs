using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Subscriptions.Import;

/// <summary>How far an import is: <paramref name="Done"/> of <paramref name="Total"/> addresses at a stage.</summary>
public readonly record struct SubscriberImportProgress(string Stage, int Done, int Total);

/// <summary>
/// Stores what <see cref="SubscriberImportReader"/> read: new addresses are added as active subscribers, existing ones
/// are refused, updated or skipped as the operator chose, all in one transaction or not at all. A profile changed
/// by an import is recorded in the consent log as any other preference change is. An import never changes a status,
/// so it never resubscribes an address that unsubscribed or bounced.
/// </summary>
public sealed class SubscriberImporter(ISubscriberStore store, IConsentLog consents, TimeProvider clock)
{
    /// <summary>Addresses looked up per query: one query per batch, not one per row, keeps 100,000 rows a matter of seconds.</summary>
    public const int LookupBatchSize = 5_000;

    public const string AlreadySubscribedProblem =
        "email: the address is already a subscriber (--update gives it this file's profile, --skip-existing leaves it as it is)";

    public async Task<SubscriberImportReport> ImportAsync(SubscriberImportResult file, ExistingAddresses existingAddresses,
        IProgress<SubscriberImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        // With --update or --skip-existing, existing addresses are no problem: a bad file is reported as it is.
        if (!file.Succeeded && existingAddresses != ExistingAddresses.Refuse) return new SubscriberImportReport { Problems = file.Problems };

        var existing = await FindExistingAsync(file.AddressLines.Keys, progress, cancellationToken);
        if (!file.Succeeded || (existingAddresses == ExistingAddresses.Refuse && existing.Count > 0))
        {
            var problems = file.Problems.ToList();
            if (existingAddresses == ExistingAddresses.Refuse)
            {
                foreach (var (email, line) in file.AddressLines)
                {
                    if (existing.ContainsKey(email)) problems.Add(new ImportProblem(line, AlreadySubscribedProblem));
                }
            }
            problems.Sort((a, b) => a.Line.CompareTo(b.Line));
            return new SubscriberImportReport { Problems = problems };
        }

        var additions = new List<Subscriber>();
        var updates = new List<Subscriber>();
        var notResubscribed = new List<string>();
        var unchanged = 0;
        var skipped = 0;
        foreach (var row in file.Rows)
        {
            if (!existing.TryGetValue(row.Subscriber.Email, out var current))
            {
                additions.Add(row.Subscriber);
            }
            else if (existingAddresses == ExistingAddresses.Skip)
            {
                skipped++;
            }
            else if (current.Status is SubscriberStatus.Unsubscribed or SubscriberStatus.Bounced)
            {
                skipped++;
                notResubscribed.Add(current.Email);
            }
            else if (row.UpdateOf(current) is var updated && SameSettings(updated, current))
            {
                unchanged++;
            }
            else
            {
                updates.Add(updated);
            }
        }

        progress?.Report(new SubscriberImportProgress("saving", 0, additions.Count + updates.Count));
        await store.ImportAsync(additions, updates, cancellationToken);
        var now = clock.GetUtcNow();
        await consents.AddManyAsync(updates.Select(s => new ConsentRecord
        {
            SubscriberId = s.Id, Kind = ConsentKinds.PreferencesChanged, At = now, Ip = "cli",
            Details = SubscriptionService.Describe(s, "profile replaced by an operator's import (papermailer subscribers import --update)"),
        }).ToList(), cancellationToken);
        return new SubscriberImportReport
        {
            Added = additions.Count, Updated = updates.Count, Unchanged = unchanged, Skipped = skipped, NotResubscribed = notResubscribed,
        };
    }

    /// <summary>The subscribers among <paramref name="emails"/>, by address ignoring case.</summary>
    private async Task<Dictionary<string, Subscriber>> FindExistingAsync(IEnumerable<string> emails, IProgress<SubscriberImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Subscriber>(StringComparer.OrdinalIgnoreCase);
        var all = emails as IReadOnlyCollection<string> ?? emails.ToList();
        var done = 0;
        foreach (var batch in all.Chunk(LookupBatchSize))
        {
            foreach (var subscriber in await store.GetByEmailsAsync(batch, cancellationToken)) found[subscriber.Email] = subscriber;
            done += batch.Length;
            progress?.Report(new SubscriberImportProgress("checking addresses", done, all.Count));
        }
        return found;
    }

    private static bool SameSettings(Subscriber a, Subscriber b) =>
        a.Name == b.Name && a.TimeZone == b.TimeZone && a.DeliveryHour == b.DeliveryHour && a.Frequency == b.Frequency
        && a.MaxPapers == b.MaxPapers && a.Profile == b.Profile;
}
