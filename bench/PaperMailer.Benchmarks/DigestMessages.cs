using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Collect;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;

namespace PaperMailer.Benchmarks;

/// <summary>
/// Real digests: the sample papers rendered with the shipped templates, then built into messages by the product's
/// <see cref="MailMessageFactory"/>, as the digest run builds them before each send.
/// </summary>
internal sealed class DigestMessages
{
    // Papers per digest: with the sample papers and the shipped templates this gives messages of about 20 KB.
    private const int PapersPerDigest = 6;

    private static readonly DateTimeOffset Decided = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    private readonly MailMessageFactory _factory = new(Options.Create(new DeliveryOptions { From = "PaperMailer <digest@papers.example.org>" }));
    private readonly List<(Subscriber Subscriber, RenderedDigest Digest, string MessageId, string Unsubscribe)> _rendered;

    private DigestMessages(List<(Subscriber, RenderedDigest, string, string)> rendered) => _rendered = rendered;

    public int Count => _rendered.Count;

    /// <summary>Renders <paramref name="count"/> digests; rendering is not part of any timed send.</summary>
    public static async Task<DigestMessages> RenderAsync(int count)
    {
        IReadOnlyList<Paper> papers = await PaperFileReader.ReadFileAsync(Path.Combine("samples", "hf-daily-papers.json"));
        var renderer = new DigestRenderer(Options.Create(new TemplateOptions { Directory = "templates" }));
        var factory = new MailMessageFactory(Options.Create(new DeliveryOptions { From = "PaperMailer <digest@papers.example.org>" }));
        var date = DateOnly.FromDateTime(Decided.UtcDateTime);
        var rendered = new List<(Subscriber, RenderedDigest, string, string)>(count);
        for (int i = 0; i < count; i++)
        {
            var subscriber = new Subscriber { Id = i + 1, Email = $"reader{i}@example.org", Name = i % 2 == 0 ? $"Reader {i}" : $"Zoë Reader {i}" };
            var ranked = Enumerable.Range(0, PapersPerDigest)
                .Select(k => new RankedPaper(papers[(i + k) % papers.Count], 1.0 / (k + 1), ["agents", "retrieval"]))
                .ToList();
            string unsubscribe = $"https://papers.example.org/unsubscribe?token=unsubscribe.{i + 1}.0.{i:D8}";
            rendered.Add((subscriber, renderer.Render(new DigestContent(subscriber, date, ranked, unsubscribe)), factory.NewDigestMessageId(subscriber.Id, date), unsubscribe));
        }

        return new DigestMessages(rendered);
    }

    /// <summary>Digest <paramref name="i"/> as a new message (a transport signs the message it is given, so each send needs its own).</summary>
    public MimeMessage Build(int i)
    {
        var (subscriber, digest, messageId, unsubscribe) = _rendered[i];
        return _factory.CreateDigest(subscriber.Name, subscriber.Email, digest.Subject, digest.Text, digest.Html, messageId, unsubscribe, Decided);
    }
}
