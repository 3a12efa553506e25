using System.Text.Json;
using PaperMailer.Domain;

namespace PaperMailer.Tests.Rank.Quality;

/// <summary>The judged papers and profiles (see SOURCE.txt next to the data), and nDCG over them.</summary>
public static class JudgedSet
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record JudgedProfile(string Id, string Need, string Profile, Dictionary<string, int> Grades);

    private sealed record PaperItem(string Id, string Title, string Abstract, List<string>? Authors, List<string>? Categories, int? Upvotes, DateTimeOffset? PublishedAt);

    private sealed record Judgments(List<JudgedProfile> Profiles);

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Rank", "Quality");

    public static IReadOnlyList<Paper> Papers() =>
        JsonSerializer.Deserialize<List<PaperItem>>(File.ReadAllText(Path.Combine(Folder, "judged-papers.json")), Json)!
            .Select(p => new Paper
            {
                Id = p.Id, Title = p.Title, Abstract = p.Abstract, Authors = p.Authors ?? [], Categories = p.Categories ?? [],
                Upvotes = p.Upvotes, PublishedAt = p.PublishedAt, Source = p.Upvotes is null ? PaperSources.Arxiv : PaperSources.HuggingFace,
            })
            .ToList();

    public static IReadOnlyList<JudgedProfile> Profiles() =>
        JsonSerializer.Deserialize<Judgments>(File.ReadAllText(Path.Combine(Folder, "judgments.json")), Json)!.Profiles;

    /// <summary>
    /// How many profiles, from the start of the file, made up the set when the lexical ranker's floor was measured;
    /// the profiles after them were added later (see SOURCE.txt) and are held to the bar of the blended ranker.
    /// </summary>
    public const int FirstSetSize = 13;

    /// <summary>nDCG@k with gains 2^grade − 1; an empty ranking of a profile with relevant papers scores 0.</summary>
    public static double Ndcg(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> grades, int k)
    {
        static double Dcg(IEnumerable<int> gradesInOrder) =>
            gradesInOrder.Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(grades.Values.OrderByDescending(g => g).Take(k));
        return ideal == 0 ? 1 : Dcg(ranking.Take(k).Select(id => grades.GetValueOrDefault(id))) / ideal;
    }
}
