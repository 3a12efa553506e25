using System.Text.Json;
using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.RunBench;

/// <summary>
/// The papers and profiles every run of the bench uses: the judged research papers of the ranking tests plus the
/// sample Hugging Face listing, and profiles of 1–3 keywords drawn (seeded) from the preset topics' keywords.
/// </summary>
internal sealed record BenchCorpus(IReadOnlyList<Paper> Papers, IReadOnlyList<string> Keywords)
{
    public static async Task<BenchCorpus> LoadAsync()
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
        var topics = JsonSerializer.Deserialize<List<Topic>>(await File.ReadAllTextAsync(Path.Combine("config", "topics.json")), json)!;
        return new BenchCorpus(papers, topics.SelectMany(t => t.Keywords).Distinct().ToList());
    }

    /// <summary>Subscriber <paramref name="n"/>: the same keywords in every run, so runs compare.</summary>
    public IReadOnlyList<string> KeywordsFor(int n)
    {
        var random = new Random(n);
        return Keywords.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
    }

    private sealed record JudgedPaper(string Id, string Title, string Abstract, List<string>? Authors, List<string>? Categories, int? Upvotes, DateTimeOffset? PublishedAt);
}
