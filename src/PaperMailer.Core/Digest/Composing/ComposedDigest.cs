using MimeKit;
using PaperMailer.Domain;

namespace PaperMailer.Digest.Composing;

/// <summary>A digest ready for delivery: its ledger row (claimed by this run), whom it is for, and its email, built.</summary>
public sealed record ComposedDigest(DigestDelivery Delivery, Subscriber Subscriber, DigestPapers Papers, MimeMessage Message, bool Retry);
