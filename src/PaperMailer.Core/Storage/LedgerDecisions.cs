using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>What both ledgers answer the same way, whatever SQL found it: a recorded digest, and why a failed one stays failed.</summary>
internal static class LedgerDecisions
{
    /// <summary>A digest just recorded: claimed by <paramref name="claim"/> from the start when it is to be sent.</summary>
    public static CreateResult Created(DigestDelivery draft, long id, DigestClaim claim)
    {
        var claimed = draft.Status == DeliveryStatus.Sending;
        return new CreateResult(CreateOutcome.Created, draft with
        {
            Id = id,
            Attempts = claimed ? 1 : 0,
            UpdatedAt = draft.CreatedAt,
            ClaimedBy = claimed ? claim.ClaimantId : null,
            LeaseUntil = claimed ? claim.LeaseUntil : null,
        });
    }

    public static string NotActive(string email, string subscriberStatus) => $"{email}: the subscriber is {subscriberStatus.ToLowerInvariant()}, not active";

    public static string LaterDigestStands(string email) => $"{email}: a later digest of theirs is pending or went out since, and took back this one's papers";

    public static string PaperGivenSince(string email) => $"{email}: one of its papers was given to them since";
}
