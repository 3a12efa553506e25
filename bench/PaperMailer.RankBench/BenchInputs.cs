using System.Text.Encodings.Web;
using System.Text.Json;
using PaperMailer.Collect;
using PaperMailer.Domain;

namespace PaperMailer.RankBench;

/// <summary>
/// The two files both contenders read, written the same way in every run: a papers file (the judged research papers
/// of the ranking tests and the sample Hugging Face listing, padded to the requested count as the ranking bench pads)
/// and a profiles file of JSON lines (the ranking bench's profiles: 2–5 keywords from the preset topics, one in five
/// with an exclusion).
/// </summary>
internal sealed record BenchInputs(string PapersFile, string ProfilesFile)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<BenchInputs> WriteAsync(string folder, int paperCount, int profileCount)
    {
        Directory.CreateDirectory(folder);
        var data = Path.Combine(AppContext.BaseDirectory, "data");
        var real = JsonSerializer.Deserialize<List<PaperItem>>(await File.ReadAllTextAsync(Path.Combine(data, "judged-papers.json")), Json)!;
        var samples = await PaperFileReader.ReadFileAsync(Path.Combine(data, "hf-daily-papers.json"));
        real.AddRange(samples.Where(s => real.All(p => p.Id != s.Id))
            .Select(s => new PaperItem(s.Id, s.Title, s.Abstract, [.. s.Authors], [.. s.Categories], s.Upvotes, s.PublishedAt)));
        var topics = JsonSerializer.Deserialize<List<Topic>>(await File.ReadAllTextAsync(Path.Combine(data, "topics.json")), Json)!;

        var inputs = new BenchInputs(Path.Combine(folder, "papers.json"), Path.Combine(folder, "profiles.jsonl"));
        // The Hugging Face listing's shape, so that upvotes and publication times reach the ranker as they would.
        var listing = BenchData.Papers(real, paperCount).Select(p => new
        {
            paper = new { id = p.Id, title = p.Title, summary = p.Abstract, upvotes = p.Upvotes, publishedAt = p.PublishedAt },
        });
        await File.WriteAllTextAsync(inputs.PapersFile, JsonSerializer.Serialize(listing, Json));
        await File.WriteAllLinesAsync(inputs.ProfilesFile, BenchData.ProfileItems(topics, profileCount)
            .Select((p, i) => JsonSerializer.Serialize(new { id = $"p{i + 1}", keywords = p.Keywords, exclude = p.Exclude }, Json)));
        return inputs;
    }
}
