namespace PaperMailer.Domain;

/// <summary>
/// One research paper, keyed by its arXiv identifier without version (for example "2606.13392").
/// Sources fill what they know; the store merges what several sources saw into one row.
/// </summary>
public sealed record Paper
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Abstract { get; init; }
    public IReadOnlyList<string> Authors { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>arXiv's primary category ("cs.LG"), from arXiv sources only.</summary>
    public string? PrimaryCategory { get; init; }
    /// <summary>The latest arXiv version seen (1 for "2606.13392v1"); null when no source named one.</summary>
    public int? Version { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>arXiv's "updated": when the latest version appeared.</summary>
    public DateTimeOffset? RevisedAt { get; init; }
    /// <summary>Which source first reported the paper: "huggingface", "arxiv", "file".</summary>
    public required string Source { get; init; }
    public int? Upvotes { get; init; }
    public int? Comments { get; init; }
    /// <summary>The day Hugging Face listed the paper on its Daily Papers page.</summary>
    public DateTimeOffset? SubmittedOnDailyAt { get; init; }
    public string? AiSummary { get; init; }
    public IReadOnlyList<string> AiKeywords { get; init; } = [];
    public string? GithubRepo { get; init; }
    public int? GithubStars { get; init; }
    public string? ProjectPage { get; init; }
    /// <summary>The abstract page and PDF links exactly as arXiv gave them (they may name a version).</summary>
    public string? AbstractLink { get; init; }
    public string? PdfLink { get; init; }
    /// <summary>When PaperMailer first stored the paper; digests select candidates by this, never by source dates.</summary>
    public DateTimeOffset FirstSeenAt { get; init; }

    public string ArxivUrl => $"https://arxiv.org/abs/{Id}";
    public string PdfUrl => $"https://arxiv.org/pdf/{Id}";
    /// <summary>The Hugging Face paper page exists only for papers Hugging Face listed.</summary>
    public string? HuggingFaceUrl => Source == PaperSources.HuggingFace || Upvotes is not null ? $"https://huggingface.co/papers/{Id}" : null;
}

public static class PaperSources
{
    public const string HuggingFace = "huggingface";
    public const string Arxiv = "arxiv";
}
