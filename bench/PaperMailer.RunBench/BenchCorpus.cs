using System.Text.Json;
using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.RunBench;

/// <summary>
/// The papers and profiles every run of the bench uses: the judged research papers of the ranking tests and the
/// sample Hugging Face listing, topped up to the requested count with papers made of real parts (a real title, an
/// abstract joining sentences of three real abstracts); profiles as people write them (1–3 keywords from the preset
/// topics, some a preset topic, some with an exclusion) at several recipient domains. Seeded: every run is the same.
/// </summary>
internal sealed record BenchCorpus(IReadOnlyList<Paper> Papers, IReadOnlyList<string> Keywords, IReadOnlyList<string> TopicIds)
{
    private static readonly string[] Domains = ["example.org", "example.com", "example.net", "uni.example.edu", "lab.example.ac.uk"];

    public static async Task<BenchCorpus> LoadAsync(int count)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var judged = JsonSerializer.Deserialize<List<JudgedPaper>>(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "judged-papers.json")), json)!;
        var papers = judged.Select(p => new Paper
        {
            Id = p.Id, Title = p.Title, Abstract = p.Abstract, Authors = p.Authors ?? [], Categories = p.Categories ?? [],
            Upvotes = p.Upvotes, PublishedAt = p.PublishedAt, Source = PaperSources.Arxiv,
        }).ToList();
        var samples = await PaperFileReader.ReadFileAsync(Path.Combine("samples", "hf-daily-papers.json"));
        papers.AddRange(samples.Where(s => papers.All(p => p.Id != s.Id)));
        var real = papers.ToList();
        var random = new Random(402);
        for (int n = 0; papers.Count < count; n++)
        {
            var parts = Enumerable.Range(0, 3).Select(_ => real[random.Next(real.Count)]).ToList();
            var sentences = parts.SelectMany(p => p.Abstract.Split(". ", StringSplitOptions.RemoveEmptyEntries).Take(2));
            papers.Add(parts[0] with { Id = $"2699.{n:00000}", Abstract = string.Join(". ", sentences), Upvotes = random.Next(40) });
        }

        var topics = JsonSerializer.Deserialize<List<Topic>>(await File.ReadAllTextAsync(Path.Combine("config", "topics.json")), json)!;
        return new BenchCorpus(papers.Take(count).ToList(), topics.SelectMany(t => t.Keywords).Distinct().ToList(), topics.Select(t => t.Id).ToList());
    }

    /// <summary>Subscriber <paramref name="n"/>, the same in every run so runs compare.</summary>
    public Subscriber SubscriberFor(int n, DateTimeOffset now)
    {
        var random = new Random(n);
        var keywords = Keywords.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
        return new Subscriber
        {
            Email = $"reader{n}@{Domains[n % Domains.Length]}",
            Name = n % 2 == 0 ? $"Reader {n}" : null,
            Profile = new SubscriberProfile
            {
                Keywords = n % 5 == 0 ? keywords.Take(1).ToList() : keywords,
                Topics = n % 5 == 0 ? [TopicIds[random.Next(TopicIds.Count)]] : [],
                Exclusions = n % 7 == 0 ? ["survey"] : [],
            },
            CreatedAt = now,
        };
    }

    private sealed record JudgedPaper(string Id, string Title, string Abstract, List<string>? Authors, List<string>? Categories, int? Upvotes, DateTimeOffset? PublishedAt);
}
