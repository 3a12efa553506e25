using System.Text.Encodings.Web;
using System.Text.Json;
using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.RankBench;

/// <summary>
/// The two files every contender reads, written the same way in every run: a papers file (the judged research papers
/// of the ranking tests and the sample Hugging Face listing, padded to the requested count as the ranking bench pads)
/// and a profiles file of JSON lines (the ranking bench's profiles: 2–5 keywords from the preset topics, one in five
/// with an exclusion); and those profiles parsed, for the ranker alone.
/// </summary>
internal sealed record BenchInputs(string PapersFile, string ProfilesFile, IReadOnlyList<RankingProfile> Profiles)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<BenchInputs> WriteAsync(string folder, int paperCount, int profileCount)
    {
        var data = Path.Combine(AppContext.BaseDirectory, "data");
        var real = JsonSerializer.Deserialize<List<PaperItem>>(await File.ReadAllTextAsync(Path.Combine(data, "judged-papers.json")), Json)!;
        var samples = await PaperFileReader.ReadFileAsync(Path.Combine(data, "hf-daily-papers.json"));
        real.AddRange(samples.Where(s => real.All(p => p.Id != s.Id))
            .Select(s => new PaperItem(s.Id, s.Title, s.Abstract, [.. s.Authors], [.. s.Categories], s.Upvotes, s.PublishedAt)));
        var topics = JsonSerializer.Deserialize<List<Topic>>(await File.ReadAllTextAsync(Path.Combine(data, "topics.json")), Json)!;

        var papersFile = Path.Combine(folder, "papers.json");
        var profilesFile = Path.Combine(folder, "profiles.jsonl");
        // The Hugging Face listing's shape, so that upvotes and publication times reach the ranker as they would.
        var listing = BenchData.Papers(real, paperCount).Select(p => new
        {
            paper = new { id = p.Id, title = p.Title, summary = p.Abstract, upvotes = p.Upvotes, publishedAt = p.PublishedAt },
        });
        await File.WriteAllTextAsync(papersFile, JsonSerializer.Serialize(listing, Json));
        await File.WriteAllLinesAsync(profilesFile, BenchData.ProfileItems(topics, profileCount)
            .Select((p, i) => JsonSerializer.Serialize(new { id = $"p{i + 1}", keywords = p.Keywords, exclude = p.Exclusions }, Json)));
        return new BenchInputs(papersFile, profilesFile, BenchData.Profiles(topics, profileCount));
    }
}
