using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Tests.Support;

/// <summary>Ledger rows as a run writes them, for tests that set the ledger up by hand.</summary>
public static class LedgerRows
{
    public const string Claimant = "test-run";

    public static DigestDelivery Draft(Subscriber s, DateOnly date, DateTimeOffset at, params string[] papers) => new()
    {
        SubscriberId = s.Id, Email = s.Email, DigestDate = date, MessageId = $"<{Guid.NewGuid():N}@papers.example.org>",
        PaperIds = papers, Status = DeliveryStatus.Sending, CreatedAt = at, WindowFrom = at.AddDays(-1), CutoffAt = at,
    };

    /// <summary>Records the digest claimed by <paramref name="claimant"/> (status Sending, one attempt), or returns null when the ledger refuses it.</summary>
    public static async Task<DigestDelivery?> CreateAsync(this IDeliveryLedger ledger, DigestDelivery draft, string claimant = Claimant, TimeSpan? lease = null)
    {
        var result = (await ledger.CreateAsync([new DigestDraft(draft, draft.CreatedAt.AddHours(-20))],
            new DigestClaim(claimant, draft.CreatedAt, draft.CreatedAt + (lease ?? TimeSpan.FromMinutes(10))))).Single();
        return result.Delivery;
    }

    public static Task RecordAsync(this IDeliveryLedger ledger, DigestDelivery delivery, DeliveryStatus status, string reply, DateTimeOffset at,
        int? code = null, string? enhanced = null, DateTimeOffset? next = null, bool recipientFailure = false, string claimant = Claimant) =>
        ledger.RecordOutcomesAsync(claimant, [new AttemptOutcome(delivery.Id, delivery.SubscriberId, status, reply, code, enhanced, at, next, recipientFailure)]);
}
