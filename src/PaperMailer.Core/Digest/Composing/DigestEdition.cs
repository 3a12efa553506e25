namespace PaperMailer.Digest.Composing;

/// <summary>Which rendering of a digest is wanted: the email of a recorded digest, a preview, or its web copy.</summary>
/// <param name="DeliveryId">The digest's ledger id, which its "View in browser" link names; 0 for a preview or a dry run (no link).</param>
/// <param name="FirstDigest">The subscriber was given no digest before this one.</param>
/// <param name="InBrowser">The web copy itself: it does not link to itself.</param>
public sealed record DigestEdition(long DeliveryId = 0, bool FirstDigest = false, bool InBrowser = false);
