using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;

// Ranking throughput: N profiles drawn from the preset topics' keywords, ranked against M papers, by PaperRanker
// (with explanations for the selected papers) and by the plain BM25 baseline, side by side in this process.
// Usage: dotnet run -c Release --project bench/PaperMailer.Bench -- [profiles=100000] [papers=500] [top=10] [dump FILE]
var profileCount = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var paperCount = args.Length > 1 ? int.Parse(args[1]) : 500;
var top = args.Length > 2 ? int.Parse(args[2]) : 10;
var data = Path.Combine(AppContext.BaseDirectory, "data");
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

var real = JsonSerializer.Deserialize<List<PaperItem>>(File.ReadAllText(Path.Combine(data, "judged-papers.json")), json)!;
var papers = BenchData.Papers(real, paperCount);
var topics = JsonSerializer.Deserialize<List<Topic>>(File.ReadAllText(Path.Combine(data, "topics.json")), json)!;
var profiles = BenchData.Profiles(topics, profileCount);

var build = Stopwatch.StartNew();
var index = PaperIndex.Build(papers);
build.Stop();
var ranker = new PaperRanker(Options.Create(new RankingOptions()));
var baseline = new PlainBm25Ranker(index);
var compiled = profiles.Select(baseline.Compile).ToArray();

// "dump FILE" as the fourth argument writes every profile's ranked ids and scores, to check that a change to the
// ranker keeps its results (compare two dumps with diff).
if (args.Length > 4 && args[3] == "dump")
{
    using var writer = new StreamWriter(args[4]);
    foreach (var profile in profiles)
    {
        writer.WriteLine(string.Join(' ', ranker.Rank(index, profile, top).Select(r => $"{r.Paper.Id}:{r.Score:R}:{r.Relevance:R}:{string.Join('|', r.Matched)}")));
    }
    return;
}

Console.WriteLine($"{papers.Count} papers (index built in {build.Elapsed.TotalMilliseconds:0} ms), {profiles.Count} profiles, top {top}, one thread");
// Pass 1 also fills the keyword cache (each distinct keyword matched once against the papers); later passes are the
// steady state of a digest run. The two rankers alternate within each pass, so a busy machine slows both alike; the
// median of the warm passes is the figure to quote.
const int passes = 7;
var warmRatios = new List<(double Ranker, double Baseline)>();
for (var pass = 1; pass <= passes; pass++)
{
    long selected = 0, explained = 0;
    var watch = Stopwatch.StartNew();
    foreach (var profile in profiles)
    {
        var ranked = ranker.Rank(index, profile, top);
        selected += ranked.Count;
        foreach (var r in ranked) explained += r.Matches.Count;
    }
    var rankerRate = profiles.Count / watch.Elapsed.TotalSeconds;

    long plainSelected = 0;
    watch.Restart();
    foreach (var query in compiled) plainSelected += baseline.Rank(query, top).Count;
    var baselineRate = compiled.Length / watch.Elapsed.TotalSeconds;
    if (pass > 1) warmRatios.Add((rankerRate, baselineRate));

    Console.WriteLine($"pass {pass}{(pass == 1 ? " (keyword cache cold)" : "")}: ranker {rankerRate:N0} profiles/s " +
        $"({(double)selected / profiles.Count:0.0} papers, {(double)explained / profiles.Count:0.0} explained matches per profile); " +
        $"plain BM25 {baselineRate:N0} profiles/s ({(double)plainSelected / profiles.Count:0.0} papers per profile); ratio ranker/baseline {rankerRate / baselineRate:0.00}");
}
var medianRanker = warmRatios.Select(r => r.Ranker).Order().ElementAt(warmRatios.Count / 2);
var medianBaseline = warmRatios.Select(r => r.Baseline).Order().ElementAt(warmRatios.Count / 2);
var medianRatio = warmRatios.Select(r => r.Ranker / r.Baseline).Order().ElementAt(warmRatios.Count / 2);
Console.WriteLine($"median of warm passes: ranker {medianRanker:N0} profiles/s, plain BM25 {medianBaseline:N0} profiles/s, ratio ranker/baseline {medianRatio:0.00} (median of the per-pass ratios)");
