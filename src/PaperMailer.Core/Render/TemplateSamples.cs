using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Feedback;
using PaperMailer.Subscriptions;

namespace PaperMailer.Render;

/// <summary>
/// The models <see cref="TemplateProof"/> renders every template with: digests with and without each optional
/// field (and the largest a subscriber can ask for), both kinds of confirmation email, and every site page. Each
/// model has every key the real one has, so strict rendering catches a misspelled name.
/// </summary>
internal static class TemplateSamples
{
    public static IReadOnlyList<(string Name, IReadOnlyDictionary<string, object?> Model)> Digests(TemplateOptions options) =>
    [
        ("the sample digest", DigestTemplateModel.Build(SampleDigest.Content(), options)),
        ("a digest whose papers lack every optional field", DigestTemplateModel.Build(Bare(), options)),
        ($"the largest digest ({SubscriberRules.MaxPapersLimit} papers)", DigestTemplateModel.Build(SampleDigest.WithPapers(SubscriberRules.MaxPapersLimit), options)),
        ("a digest with a Trending section", DigestTemplateModel.Build(WithTrending(personal: true), options)),
        ("a trending-only digest", DigestTemplateModel.Build(WithTrending(personal: false), options)),
        ("a digest explained in part and by meaning", DigestTemplateModel.Build(ExplainedOtherwise(), options)),
    ];

    /// <summary>The sample digest with a paper matched whole and in part, one matched only in part, and one admitted on meaning.</summary>
    internal static DigestContent ExplainedOtherwise()
    {
        var papers = SampleDigest.Papers;
        return SampleDigest.Content() with
        {
            Papers =
            [
                papers[0] with { Matched = ["reinforcement learning"], Partly = ["agents"] },
                papers[1] with { Matched = [], Partly = ["learning"] },
                papers[2] with { Matched = [], SimilarTo = "language agents", Similarity = 0.52 },
            ],
        };
    }

    /// <summary>The sample digest with its Hugging Face papers again (under new ids) as "Trending today"; without its personal papers, a trending-only subscriber's.</summary>
    private static DigestContent WithTrending(bool personal)
    {
        var trending = SampleDigest.Papers.Where(p => p.Paper.Upvotes is not null)
            .Select((p, i) => new RankedPaper(p.Paper with { Id = $"2611.{i + 20000:00000}" }, p.Paper.Upvotes ?? 0, [])).ToList();
        var content = SampleDigest.Content() with { Trending = trending };
        return personal
            ? content with { Subscriber = SampleDigest.Subscriber with { Profile = SampleDigest.Subscriber.Profile with { Trending = true } } }
            : content with { Papers = [], Subscriber = SampleDigest.Subscriber with { Profile = new SubscriberProfile { Trending = true } } };
    }

    public static IReadOnlyList<(string Name, IReadOnlyDictionary<string, object?> Model)> Confirmations(TemplateOptions options) =>
    [
        ("a sample confirmation", ConfirmationEmailRenderer.Model(Confirmation(alreadySubscribed: false), options)),
        ("a sample already-subscribed notice", ConfirmationEmailRenderer.Model(Confirmation(alreadySubscribed: true), options)),
    ];

    public static IReadOnlyList<(string Name, string File, Func<TemplateOptions, IReadOnlyDictionary<string, object?>> Model)> Pages { get; } =
    [
        ("a sample home page", "web/home.sbn", o => Page(o, "Research papers by email", Profile(withErrors: false))),
        ("a home page with errors", "web/home.sbn", o => Page(o, "Research papers by email", Profile(withErrors: true))),
        ("a sample preferences page", "web/manage.sbn", o => Page(o, "Your digest", Manage())),
        ("a sample unsubscribe page", "web/unsubscribe.sbn", o => Page(o, "Unsubscribe", new() { ["email"] = "ada@example.org", ["token"] = "sample" })),
        ("a sample confirmation page", "web/confirm.sbn", o => Page(o, "Confirm your subscription", new() { ["email"] = "ada@example.org", ["token"] = "sample" })),
        ("the operator's sign-in page", "web/admin-login.sbn", o => Page(o, "Operator sign-in", new() { ["error"] = null })),
        ("the operator's sign-in page after a wrong token", "web/admin-login.sbn", o => Page(o, "Operator sign-in", new() { ["error"] = "That token is not right." })),
        ("the operator's status page", "web/admin-status.sbn", o => Page(o, "Service status", OperatorStatus(degraded: true))),
        ("the operator's status page with nothing to show", "web/admin-status.sbn", o => Page(o, "Service status", OperatorStatus(degraded: false))),
        ("a message with a link", "web/message.sbn", o => Page(o, "This link has expired", Message(withLink: true))),
        ("a message without a link", "web/message.sbn", o => Page(o, "You are subscribed", Message(withLink: false))),
    ];

    /// <summary>Papers with nothing optional: no votes, comments, code, project page, summary or date; one author or none.</summary>
    private static DigestContent Bare()
    {
        var papers = SampleDigest.Papers.Select((p, i) => p with
        {
            Paper = p.Paper with
            {
                Source = PaperSources.Arxiv, Upvotes = null, Comments = null, GithubRepo = null, ProjectPage = null, AiSummary = null,
                PublishedAt = null, Authors = i == 0 ? [] : [p.Paper.Authors[0]],
            },
        }).ToList();
        var subscriber = SampleDigest.Subscriber with { Name = "", Profile = SubscriberProfile.Empty };
        return new DigestContent(subscriber, SampleDigest.Date, papers, "https://papers.example.org/unsubscribe?token=sample")
        {
            FirstDigest = true,
            RatingUrl = (paper, vote) => $"https://papers.example.org/rate?subscriber=1&paper={paper}&vote={vote.Name()}&sig=sample",
        };
    }

    private static ConfirmationContent Confirmation(bool alreadySubscribed) => new(
        SampleDigest.Subscriber, alreadySubscribed,
        alreadySubscribed ? null : "https://papers.example.org/confirm?token=sample",
        "https://papers.example.org/manage?token=sample", 48, ["Large language models"]);

    private static Dictionary<string, object?> Page(TemplateOptions options, string title, Dictionary<string, object?> model)
    {
        model["site_name"] = options.SiteName;
        model["title"] = title;
        model["antiforgery"] = new Dictionary<string, object?> { ["field"] = "__RequestVerificationToken", ["token"] = "sample" };
        return model;
    }

    private static Dictionary<string, object?> Profile(bool withErrors) => new()
    {
        ["errors"] = withErrors ? new[] { "email: \"ada@\" is not an email address", "keywords: \"topic:astro\" is not a known topic (known: llm, vision)" } : Array.Empty<string>(),
        ["field_errors"] = new Dictionary<string, object?>
        {
            ["topics"] = null, ["keywords"] = withErrors ? "\"topic:astro\" is not a known topic (known: llm, vision)" : null, ["exclude"] = null,
        },
        ["form"] = new Dictionary<string, object?> { ["email"] = "ada@example.org", ["keywords"] = "language agents", ["exclude"] = "", ["timezone_chosen"] = withErrors, ["trending"] = !withErrors, ["timezone"] = "UTC" },
        ["topics"] = new[]
        {
            new Dictionary<string, object?> { ["id"] = "llm", ["name"] = "Large language models", ["description"] = "Training and using LLMs.", ["selected"] = true, ["examples"] = new[] { SampleDigest.Papers[0].Paper.Title } },
            new Dictionary<string, object?> { ["id"] = "vision", ["name"] = "Computer vision", ["description"] = "Images and video.", ["selected"] = false, ["examples"] = Array.Empty<string>() },
        },
        ["hours"] = Enumerable.Range(0, 24).Select(h => new Dictionary<string, object?> { ["value"] = h, ["label"] = $"{h:00}:00", ["selected"] = h == 7 }).ToList(),
        ["time_zones"] = new[] { "Europe/Berlin", "UTC" }.Select(z => new Dictionary<string, object?> { ["id"] = z, ["selected"] = z == "UTC" }).ToList(),
    };

    private static Dictionary<string, object?> Manage()
    {
        var model = Profile(withErrors: false);
        model["email"] = "ada@example.org";
        model["token"] = "sample";
        model["saved"] = true;
        model["status_text"] = "receiving a daily digest";
        model["unsubscribe_url"] = "https://papers.example.org/unsubscribe?token=sample";
        model["feed_url"] = "https://papers.example.org/feed?token=sample";
        model["archive"] = new[]
        {
            new Dictionary<string, object?> { ["date"] = "Sun 22 Nov 2026", ["paper_count"] = 3, ["url"] = "https://papers.example.org/digest?token=sample", ["feed_only"] = false },
            new Dictionary<string, object?> { ["date"] = "Sat 21 Nov 2026", ["paper_count"] = 1, ["url"] = "https://papers.example.org/digest?token=sample2", ["feed_only"] = true },
        };
        model["learned"] = new Dictionary<string, object?>
        {
            ["count"] = 3,
            ["more_like"] = new[] { "Planning with Language Agents", "Tool Use by Small Models" },
            ["less_like"] = new[] { "A Survey of Surveys" },
            ["raised"] = new[] { "planning", "tool", "agents" },
            ["lowered"] = new[] { "survey" },
        };
        model["weekdays"] = new[] { "", "monday", "wednesday" }.Select(d => new Dictionary<string, object?> { ["value"] = d, ["label"] = d, ["selected"] = d == "wednesday" }).ToList();
        model["frequencies"] = new[] { "daily", "weekly", "feed-only", "paused" }.Select(f => new Dictionary<string, object?> { ["value"] = f, ["label"] = f, ["selected"] = f == "daily" }).ToList();
        return model;
    }

    /// <summary>The status page's model (see the admin status page in the web project), filled or empty.</summary>
    private static Dictionary<string, object?> OperatorStatus(bool degraded) => new()
    {
        ["at"] = "2026-12-02 09:00",
        ["degraded"] = degraded,
        ["problems"] = degraded ? new[] { "source hf has missed 2 scheduled runs (last success 2026-12-02 06:10 UTC); last error: 503 Service Unavailable" } : Array.Empty<string>(),
        ["runs"] = degraded
            ? new[] { new Dictionary<string, object?> { ["finished_at"] = "2026-12-02 08:05:12", ["seconds"] = "4.2", ["due"] = 12, ["sent"] = 10, ["deferred"] = 1, ["failed"] = 1, ["nothing_to_send"] = 0, ["notes"] = "" } }
            : Array.Empty<Dictionary<string, object?>>(),
        ["sources"] = new[]
        {
            new Dictionary<string, object?> { ["name"] = "hf", ["state"] = degraded ? "overdue: 2 scheduled runs missed" : "working", ["overdue"] = degraded, ["last_success"] = "2026-12-02 06:10 (3 new, 1 updated)",
                ["last_error"] = degraded ? "503 Service Unavailable" : null, ["last_error_at"] = degraded ? "2026-12-02 08:10" : null, ["next_run"] = "2026-12-02 09:10" },
        },
        ["failures_since"] = "2026-11-25",
        ["domains"] = degraded
            ? new[] { new Dictionary<string, object?> { ["domain"] = "example.org", ["failed"] = 1, ["recipient_refused"] = 1, ["deferred"] = 1 } }
            : Array.Empty<Dictionary<string, object?>>(),
        ["suppressed"] = degraded
            ? new[] { new Dictionary<string, object?> { ["email"] = "gone@example.org", ["since"] = "2026-12-01 07:00" } }
            : Array.Empty<Dictionary<string, object?>>(),
        ["bounces"] = new Dictionary<string, object?>
        {
            ["since"] = "2026-11-02", ["hard"] = degraded ? 1 : 0, ["soft"] = degraded ? 3 : 0, ["complaints"] = degraded ? 1 : 0, ["unmatched"] = 0,
            ["most_soft"] = degraded
                ? new[] { new Dictionary<string, object?> { ["email"] = "slow@example.org", ["count"] = 3 } }
                : Array.Empty<Dictionary<string, object?>>(),
        },
        ["retry_date"] = "2026-12-02",
    };

    private static Dictionary<string, object?> Message(bool withLink) => new()
    {
        ["paragraphs"] = new[] { "Confirmation links work for a limited time.", "Subscribe again to get a new one." },
        ["link"] = withLink ? new Dictionary<string, object?> { ["url"] = "/", ["text"] = "Subscribe again" } : null,
        ["action"] = withLink ? null : new Dictionary<string, object?> { ["url"] = "/unsubscribe/undo?token=sample", ["text"] = "Undo: subscribe me again" },
    };
}
