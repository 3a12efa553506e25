using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;

namespace PaperMailer.Testing;

/// <summary>
/// Fixed digests the rendering tests (approved output, escaping, size, browser) share: the product's own sample,
/// one full of hostile fields, and one at the largest paper count a subscriber may ask for.
/// </summary>
public static class DigestFixtures
{
    public const string UnsubscribeUrl = "https://papers.example.org/unsubscribe?token=unsubscribe.7.abc";
    public const string ManageUrl = "https://papers.example.org/manage?token=manage.7.abc";

    /// <summary>An unbroken 240-character "word", the kind that pushes a layout wider than the screen.</summary>
    public static readonly string LongWord = string.Concat(Enumerable.Repeat("Supercalifragilistic", 12));

    public static DigestContent Sample() => SampleDigest.Content(UnsubscribeUrl, ManageUrl);

    public static DigestContent Hostile()
    {
        var subscriber = SampleDigest.Subscriber with
        {
            Name = "Eve \"<b>\" O'Hara", Profile = SampleDigest.Subscriber.Profile with { Keywords = ["agents", "script"] },
        };
        RankedPaper Ranked(Paper paper) => new(paper, 3.5, ["agents", "script"]);
        return new DigestContent(subscriber, SampleDigest.Date,
        [
            Ranked(Make("2611.00001", "<script>alert('x')</script> & \"quoted\" agents", "Agents <b>bold</b> & <script>document.cookie</script> \"quotes\" 'single'.")
                with { Authors = ["Eve <eve@evil.example>", "O'Brien \"Q\""], GithubRepo = "javascript:alert(1)\" onmouseover=\"alert(2)" }),
            Ranked(Make("2611.00002", "Agents " + LongWord, "An abstract with an unbroken string " + LongWord + " in the middle of agents.")),
            Ranked(Make("2611.00003", "نماذج اللغة الكبيرة كوكلاء agents للتخطيط", "تعلم الوكلاء agents من التغذية الراجعة. שלום עולם, agents בעברית.")
                with { Authors = ["محمد علي", "דנה לוי"] }),
        ], UnsubscribeUrl, ManageUrl);
    }

    /// <summary>The most a digest can hold: the largest paper count, every field at a realistic maximum.</summary>
    public static DigestContent Largest(int papers)
    {
        var abstractText = string.Join(' ', Enumerable.Repeat(
            "We study language agents trained with reinforcement learning from tool feedback and report results on many benchmarks.", 30));
        var list = Enumerable.Range(1, papers).Select(i => new RankedPaper(
            Make($"2611.{i:00000}", $"Scaling Language Agents with Reinforcement Learning from Tool Feedback, Part {i}: Long-Horizon Planning in Open Worlds",
                abstractText) with
            {
                Source = PaperSources.HuggingFace,
                Authors = Enumerable.Range(1, 12).Select(a => $"Author{a} Surname{a}").ToList(),
                Upvotes = 1234,
                Comments = 56,
                GithubRepo = $"https://github.com/example-organisation/language-agents-reinforcement-{i}",
                ProjectPage = $"https://example-organisation.github.io/language-agents-reinforcement-{i}/",
            }, 9.99, ["language agents", "reinforcement learning"])).ToList();
        return new DigestContent(SampleDigest.Subscriber with { MaxPapers = papers }, SampleDigest.Date, list, UnsubscribeUrl, ManageUrl);
    }

    private static Paper Make(string id, string title, string abstractText) => new()
    {
        Id = id,
        Title = title,
        Abstract = abstractText,
        Source = PaperSources.Arxiv,
        FirstSeenAt = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
    };
}
