using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>
/// How a newly reported copy of a known paper updates the stored one: fresh values win where the source gave them,
/// missing values never erase known ones, and identity (id, first source, first-seen time) never changes.
/// Hugging Face alone reports upvotes, comments, AI summary/keywords and GitHub stars; arXiv alone reports categories,
/// versions and links, so each source's fields survive the other's reports. A copy of an older version than the
/// stored one (a stale listing) never overwrites the newer text.
/// </summary>
public static class PaperMerge
{
    public static Paper Merge(Paper stored, Paper incoming)
    {
        var older = incoming.Version is { } v && stored.Version is { } s && v < s;
        var text = older ? stored : incoming;
        return stored with
        {
            Title = NonEmpty(text.Title) ?? stored.Title,
            Abstract = NonEmpty(text.Abstract) ?? stored.Abstract,
            Authors = text.Authors.Count > 0 ? text.Authors : stored.Authors,
            Categories = incoming.Categories.Count > 0 ? incoming.Categories : stored.Categories,
            PrimaryCategory = incoming.PrimaryCategory ?? stored.PrimaryCategory,
            Version = Max(stored.Version, incoming.Version),
            PublishedAt = stored.PublishedAt is { } p && incoming.PublishedAt is { } q ? (p < q ? p : q) : incoming.PublishedAt ?? stored.PublishedAt,
            RevisedAt = older ? stored.RevisedAt : incoming.RevisedAt ?? stored.RevisedAt,
            Upvotes = incoming.Upvotes ?? stored.Upvotes,
            Comments = incoming.Comments ?? stored.Comments,
            SubmittedOnDailyAt = incoming.SubmittedOnDailyAt ?? stored.SubmittedOnDailyAt,
            AiSummary = incoming.AiSummary ?? stored.AiSummary,
            AiKeywords = incoming.AiKeywords.Count > 0 ? incoming.AiKeywords : stored.AiKeywords,
            GithubRepo = incoming.GithubRepo ?? stored.GithubRepo,
            GithubStars = incoming.GithubStars ?? stored.GithubStars,
            ProjectPage = incoming.ProjectPage ?? stored.ProjectPage,
            AbstractLink = older ? stored.AbstractLink : incoming.AbstractLink ?? stored.AbstractLink,
            PdfLink = older ? stored.PdfLink : incoming.PdfLink ?? stored.PdfLink,
        };
    }

    /// <summary>Whether the text a paper's vector is made from (title and abstract) is the same.</summary>
    public static bool SameText(Paper a, Paper b) => a.Title == b.Title && a.Abstract == b.Abstract;

    public static bool SameContent(Paper a, Paper b) =>
        SameText(a, b) && a.Authors.SequenceEqual(b.Authors) && a.Categories.SequenceEqual(b.Categories)
        && a.PrimaryCategory == b.PrimaryCategory && a.Version == b.Version && a.PublishedAt == b.PublishedAt && a.RevisedAt == b.RevisedAt
        && a.Upvotes == b.Upvotes && a.Comments == b.Comments && a.SubmittedOnDailyAt == b.SubmittedOnDailyAt && a.AiSummary == b.AiSummary
        && a.AiKeywords.SequenceEqual(b.AiKeywords) && a.GithubRepo == b.GithubRepo && a.GithubStars == b.GithubStars
        && a.ProjectPage == b.ProjectPage && a.AbstractLink == b.AbstractLink && a.PdfLink == b.PdfLink;

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
