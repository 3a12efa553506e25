using PaperMailer.Domain;

namespace PaperMailer.Collect;

/// <summary>
/// What a paper's text may hold once stored. Sources are other people's data: a control character (other than tab and
/// line feed) can break a mail header or a terminal, and a bidirectional override or isolate (U+202A–U+202E,
/// U+2066–U+2069) can make a title read differently from what it says. They are removed when papers are stored, so
/// nothing downstream (ranking, templates, emails, the site) ever sees them.
/// </summary>
public static class PaperText
{
    public static Paper Clean(Paper paper) => paper with
    {
        Id = Clean(paper.Id),
        Title = Clean(paper.Title),
        Abstract = Clean(paper.Abstract),
        Authors = Clean(paper.Authors),
        Categories = Clean(paper.Categories),
        PrimaryCategory = CleanOrNull(paper.PrimaryCategory),
        Source = Clean(paper.Source),
        AiSummary = CleanOrNull(paper.AiSummary),
        AiKeywords = Clean(paper.AiKeywords),
        GithubRepo = CleanOrNull(paper.GithubRepo),
        ProjectPage = CleanOrNull(paper.ProjectPage),
        AbstractLink = CleanOrNull(paper.AbstractLink),
        PdfLink = CleanOrNull(paper.PdfLink),
    };

    public static string Clean(string text) => SafeText.Clean(text);

    private static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    private static IReadOnlyList<string> Clean(IReadOnlyList<string> texts) => texts.All(SafeText.IsClean) ? texts : texts.Select(Clean).ToList();
}
