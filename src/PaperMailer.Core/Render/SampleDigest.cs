using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Render;

/// <summary>
/// A fixed digest that uses every field templates can show: a Hugging Face paper with votes, comments, code and a
/// project page, an arXiv-only paper, one with many authors. Templates are rendered against it before they are
/// accepted, so a template that fails on real data fails here first; `send-test` without a subscriber sends it.
/// </summary>
public static class SampleDigest
{
    public static readonly DateOnly Date = new(2026, 11, 22);

    public static Subscriber Subscriber { get; } = new()
    {
        Id = 0,
        Email = "ada@example.org",
        Name = "Ada",
        TimeZone = "Europe/Berlin",
        DeliveryHour = 7,
        Profile = new SubscriberProfile { Keywords = ["language agents", "reinforcement learning"], Topics = ["llm"] },
        MaxPapers = 10,
    };

    public static IReadOnlyList<RankedPaper> Papers { get; } =
    [
        new(new Paper
        {
            Id = "2611.01234",
            Title = "Planning with Language Agents: Reinforcement Learning from Tool Feedback",
            Abstract = "Language agents that call tools still fail on long-horizon tasks. We train an agent with reinforcement learning "
                + "from the feedback its tools return, without human labels, and show that the learned planner transfers to unseen tools. "
                + "On three benchmarks the agent solves 31% more tasks than prompting alone while using fewer tool calls.",
            Authors = ["Mira Patel", "Jonas Weber", "Li Wei", "Sofia Rossi", "Tom Baker", "Aiko Tanaka"],
            Source = PaperSources.HuggingFace,
            Upvotes = 128,
            Comments = 7,
            GithubRepo = "https://github.com/example/tool-feedback-rl",
            ProjectPage = "https://example.github.io/tool-feedback-rl",
            PublishedAt = new DateTimeOffset(2026, 11, 20, 23, 30, 0, TimeSpan.Zero),
            FirstSeenAt = new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero),
        }, 7.42, ["language agents", "reinforcement learning"]),
        new(new Paper
        {
            Id = "2611.04321",
            Title = "Offline Reinforcement Learning Without Value Overestimation",
            Abstract = "Offline reinforcement learning suffers when the learned value function overestimates actions the data never shows. "
                + "We bound the estimate with a simple conservative penalty and prove it never exceeds the behaviour policy's return.",
            Authors = ["Hannah Okafor", "Pierre Martin"],
            Source = PaperSources.Arxiv,
            PrimaryCategory = "cs.LG",
            Categories = ["cs.LG", "cs.AI"],
            PublishedAt = new DateTimeOffset(2026, 11, 21, 14, 0, 0, TimeSpan.Zero),
            FirstSeenAt = new DateTimeOffset(2026, 11, 21, 18, 0, 0, TimeSpan.Zero),
        }, 4.10, ["reinforcement learning"]),
        new(new Paper
        {
            Id = "2611.05555",
            Title = "A Survey of Evaluation for Language Agents",
            Abstract = "We review how language agents are evaluated, from web navigation to software engineering, and recommend practices.",
            Authors = ["R. Singh"],
            Source = PaperSources.HuggingFace,
            Upvotes = 3,
            FirstSeenAt = new DateTimeOffset(2026, 11, 21, 20, 0, 0, TimeSpan.Zero),
        }, 2.95, ["language agents"]),
    ];

    /// <summary>The sample digest with <paramref name="count"/> papers: the sample papers repeated under new ids.</summary>
    public static DigestContent WithPapers(int count)
    {
        var papers = Enumerable.Range(0, count).Select(i =>
        {
            var paper = Papers[i % Papers.Count];
            return paper with { Paper = paper.Paper with { Id = $"2611.{i + 10000:00000}" } };
        }).ToList();
        return Content() with { Papers = papers, Subscriber = Subscriber with { MaxPapers = Math.Max(Subscriber.MaxPapers, count) } };
    }

    public static DigestContent Content(string unsubscribeUrl = "https://papers.example.org/unsubscribe?token=sample",
        string? manageUrl = "https://papers.example.org/manage?token=sample") =>
        new(Subscriber, Date, Papers, unsubscribeUrl, manageUrl)
        {
            WebUrl = "https://papers.example.org/digest?token=sample",
            FeedUrl = "https://papers.example.org/feed?token=sample",
        };
}
