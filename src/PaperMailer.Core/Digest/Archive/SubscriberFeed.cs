using Microsoft.Extensions.Options;
using PaperMailer.Digest.Composing;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Digest.Archive;

/// <summary>
/// A subscriber's personal feed: one entry per paper they were given (mailed, or recorded for a feed-only
/// subscriber), newest digest first and in each digest's order (its "Trending today" papers last), with why it is
/// there as the digest recorded it.
/// </summary>
public sealed class SubscriberFeed(IDigestArchive archive, DigestComposer composer, SubscriberLinks links, IOptions<TemplateOptions> templateOptions)
{
    /// <summary>How many past digests a feed reaches back: a month or two of papers, as feed readers keep their own history.</summary>
    public const int MaxDigests = 30;

    public async Task<AtomFeed> BuildAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var options = templateOptions.Value;
        var entries = new List<AtomEntry>();
        foreach (var digest in await archive.ListGivenAsync(subscriber.Id, MaxDigests, cancellationToken))
        {
            var at = digest.SentAt ?? digest.CreatedAt;
            var webCopy = links.DigestUrl(digest.Id);
            var papers = await composer.RecordedAsync(subscriber, digest, null, cancellationToken);
            foreach (var (ranked, trending) in papers.Personal.Select(r => (r, false)).Concat(papers.Trending.Select(r => (r, true))))
            {
                var paper = ranked.Paper;
                var why = PaperExplanation.Describe(ranked) is { Length: > 0 } explained ? explained + ". " : trending ? "Trending today. " : "";
                entries.Add(new AtomEntry(
                    Id: TagUri(digest.DigestDate, $"paper/{subscriber.Id}/{paper.Id}"),
                    Title: paper.Title,
                    Updated: at,
                    Link: paper.HuggingFaceUrl ?? paper.ArxivUrl,
                    RelatedLink: webCopy,
                    Summary: why + DigestTemplateModel.Excerpt(paper.Abstract, options.AbstractLength),
                    Authors: paper.Authors,
                    Category: paper.PrimaryCategory ?? paper.Categories.FirstOrDefault()));
            }
        }
        return new AtomFeed(
            Id: TagUri(DateOnly.FromDateTime(subscriber.CreatedAt.UtcDateTime), $"feed/{subscriber.Id}"),
            Title: $"{options.SiteName}: papers for you",
            Subtitle: string.Join(", ", subscriber.Profile.Topics.Concat(subscriber.Profile.Keywords)),
            Updated: entries.Count > 0 ? entries.Max(e => e.Updated) : subscriber.CreatedAt,
            SelfLink: links.FeedUrl(subscriber.Id),
            AuthorName: options.SiteName,
            Entries: entries);
    }

    /// <summary>
    /// A permanent id (RFC 4151 tag URI) under this service's host: the same paper given to the same subscriber keeps
    /// its id however often the feed is read, so a reader never shows it twice.
    /// </summary>
    private string TagUri(DateOnly date, string specific) =>
        $"tag:{new Uri(links.BaseUrl).Host},{date:yyyy-MM-dd}:{specific}";
}
