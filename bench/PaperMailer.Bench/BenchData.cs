using PaperMailer.Domain;
using PaperMailer.Rank;

internal sealed record PaperItem(string Id, string Title, string Abstract, List<string>? Authors, List<string>? Categories, int? Upvotes, DateTimeOffset? PublishedAt);

internal static class BenchData
{
    /// <summary>
    /// The real papers, then (to reach the requested count) papers whose title is a real title and whose abstract
    /// joins sentences of three real abstracts: real vocabulary and lengths, new combinations. Seeded, so every run
    /// ranks the same papers.
    /// </summary>
    public static List<Paper> Papers(List<PaperItem> real, int count)
    {
        var random = new Random(20260612);
        var papers = real.Take(count).Select((p, i) => Make(p.Id, p.Title, p.Abstract, p.Upvotes, p.PublishedAt)).ToList();
        var sentences = real.Select(p => p.Abstract.Split(". ", StringSplitOptions.RemoveEmptyEntries)).ToArray();
        for (var n = papers.Count; n < count; n++)
        {
            var title = real[random.Next(real.Count)].Title;
            var text = string.Join(". ", Enumerable.Range(0, 3).SelectMany(_ => sentences[random.Next(sentences.Length)].OrderBy(_ => random.Next()).Take(3)));
            papers.Add(Make($"2701.{n:00000}", title, text, random.Next(3) == 0 ? random.Next(200) : null, DateTimeOffset.UnixEpoch.AddDays(20000 + random.Next(30))));
        }
        return papers;
    }

    private static Paper Make(string id, string title, string text, int? upvotes, DateTimeOffset? published) =>
        new() { Id = id, Title = title, Abstract = text, Source = "file", Upvotes = upvotes, PublishedAt = published };

    /// <summary>2–5 keywords from the topics' keywords, one in five profiles with an exclusion, parsed like subscribers' profiles.</summary>
    public static List<RankingProfile> Profiles(List<Topic> topics, int count) =>
        ProfileItems(topics, count).Select(p => ProfileParser.ParseItems(p.Keywords, p.Exclusions, topics)).ToList();

    /// <summary>The profiles of <see cref="Profiles"/> as a subscriber would write them (seeded: the same in every run).</summary>
    public static IEnumerable<(List<string> Keywords, List<string> Exclusions)> ProfileItems(List<Topic> topics, int count)
    {
        var random = new Random(42);
        var keywords = topics.SelectMany(t => t.Keywords).Distinct().ToArray();
        for (var i = 0; i < count; i++)
        {
            var picked = keywords.OrderBy(_ => random.Next()).Take(2 + random.Next(4)).ToList();
            var exclude = random.Next(5) == 0 ? [keywords[random.Next(keywords.Length)]] : Array.Empty<string>();
            yield return (picked, exclude.Where(e => !picked.Contains(e)).ToList());
        }
    }
}
