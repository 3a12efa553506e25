using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;

namespace PaperMailer.Digest.Composing;

/// <summary>A digest ready for delivery: its ledger row (claimed by this run), whom it is for, and what it says.</summary>
public sealed record ComposedDigest(DigestDelivery Delivery, Subscriber Subscriber, IReadOnlyList<RankedPaper> Papers, RenderedDigest Rendered,
    string UnsubscribeUrl, bool Retry);
