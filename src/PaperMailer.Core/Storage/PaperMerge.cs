using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>
/// How a newly reported copy of a known paper updates the stored one: fresh values win where the source gave them,
/// missing values never erase known ones, and identity (id, first source, first-seen time) never changes.
/// </summary>
public static class PaperMerge
{
    public static Paper Merge(Paper stored, Paper incoming) => stored with
    {
        Title = NonEmpty(incoming.Title) ?? stored.Title,
        Abstract = NonEmpty(incoming.Abstract) ?? stored.Abstract,
        Authors = incoming.Authors.Count > 0 ? incoming.Authors : stored.Authors,
        Categories = incoming.Categories.Count > 0 ? incoming.Categories : stored.Categories,
        PublishedAt = incoming.PublishedAt ?? stored.PublishedAt,
        Upvotes = incoming.Upvotes ?? stored.Upvotes,
        Comments = incoming.Comments ?? stored.Comments,
        AiSummary = incoming.AiSummary ?? stored.AiSummary,
        AiKeywords = incoming.AiKeywords.Count > 0 ? incoming.AiKeywords : stored.AiKeywords,
        GithubRepo = incoming.GithubRepo ?? stored.GithubRepo,
        ProjectPage = incoming.ProjectPage ?? stored.ProjectPage,
    };

    public static bool SameContent(Paper a, Paper b) =>
        a.Title == b.Title && a.Abstract == b.Abstract && a.Authors.SequenceEqual(b.Authors) && a.Categories.SequenceEqual(b.Categories)
        && a.PublishedAt == b.PublishedAt && a.Upvotes == b.Upvotes && a.Comments == b.Comments && a.AiSummary == b.AiSummary
        && a.AiKeywords.SequenceEqual(b.AiKeywords) && a.GithubRepo == b.GithubRepo && a.ProjectPage == b.ProjectPage;

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
