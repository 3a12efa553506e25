using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Render;

/// <summary>Everything one digest shows: who it is for, which day, which papers and why, and the links it carries.</summary>
public sealed record DigestContent(
    Subscriber Subscriber,
    DateOnly DigestDate,
    IReadOnlyList<RankedPaper> Papers,
    string UnsubscribeUrl,
    string? ManageUrl = null);
