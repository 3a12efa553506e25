using System.Net.Mail;
using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Render;

namespace PaperMailer.Benchmarks;

/// <summary>Real digests: the sample papers rendered with the shipped templates, as the digest run builds them.</summary>
internal static class DigestMessages
{
    // Papers per digest: with the sample papers and the shipped templates this gives messages of about 16 KB.
    private const int PapersPerDigest = 6;

    public static async Task<IReadOnlyList<OutgoingMessage>> RenderAsync(int count)
    {
        IReadOnlyList<Paper> papers = await PaperFileReader.ReadFileAsync(Path.Combine("samples", "hf-daily-papers.json"));
        var renderer = new DigestRenderer(Options.Create(new TemplateOptions { Directory = "templates" }));
        var factory = new DigestMessageFactory(Options.Create(new DeliveryOptions { From = "PaperMailer <digest@papers.example.org>" }));
        var date = new DateOnly(2026, 11, 22);
        var messages = new List<OutgoingMessage>(count);
        for (int i = 0; i < count; i++)
        {
            var subscriber = new Subscriber { Id = i + 1, Email = $"reader{i}@example.org", Name = i % 2 == 0 ? $"Reader {i}" : $"Zoë Reader {i}" };
            var ranked = Enumerable.Range(0, PapersPerDigest)
                .Select(k => new RankedPaper(papers[(i + k) % papers.Count], 1.0 / (k + 1), ["agents", "retrieval"]))
                .ToList();
            string unsubscribe = $"https://papers.example.org/unsubscribe/{i:D8}";
            RenderedDigest digest = renderer.Render(new DigestContent(subscriber, date, ranked, unsubscribe));
            messages.Add(factory.Create(subscriber, digest, factory.NewMessageId(subscriber, date), unsubscribe, new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero)));
        }

        return messages;
    }
}
