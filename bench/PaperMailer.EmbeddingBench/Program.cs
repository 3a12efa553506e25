// Embedding cost: how long a day's papers (~400) take to embed on this machine, and what the model costs in memory.
// Papers are the judged set's 116 real abstracts, repeated to --papers; each round embeds them all with the product's
// PaperEmbedder (title + abstract cut at 128 tokens, batches as the product sends them). Then, for the judged
// profiles repeated to --profiles, what ranking costs blended against lexical, side by side on this thread (the
// profiles' keywords are embedded before the clock starts, as the per-profile cache would have them).
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;

var count = args.SkipWhile(a => a != "--papers").Skip(1).Select(int.Parse).DefaultIfEmpty(400).First();
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).DefaultIfEmpty(3).First();
var profileCount = args.SkipWhile(a => a != "--profiles").Skip(1).Select(int.Parse).DefaultIfEmpty(2000).First();

var judged = JsonSerializer.Deserialize<List<JudgedPaper>>(
    File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "judged-papers.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
var papers = Enumerable.Range(0, count).Select(i => judged[i % judged.Count])
    .Select((p, i) => new Paper { Id = $"{p.Id}.{i}", Title = p.Title, Abstract = p.Abstract, Source = PaperSources.Arxiv }).ToList();

var process = Process.GetCurrentProcess();
double MegaBytes(long bytes) => bytes / 1024.0 / 1024.0;
process.Refresh();
Console.WriteLine($"{count} papers, {rounds} rounds, {Environment.ProcessorCount} cores; before the model: working set {MegaBytes(process.WorkingSet64):0} MB");

using var model = new MiniLmSentenceEmbedder();
var embedder = new PaperEmbedder(model);
var clock = Stopwatch.StartNew();
embedder.Embed(papers.Take(1).ToList());
process.Refresh();
Console.WriteLine($"model loaded and first paper embedded in {clock.ElapsedMilliseconds} ms; working set {MegaBytes(process.WorkingSet64):0} MB");

for (var round = 1; round <= rounds; round++)
{
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    clock.Restart();
    embedder.Embed(papers);
    var wall = clock.Elapsed;
    process.Refresh();
    var cpuPerPaper = (process.TotalProcessorTime - cpu).TotalMilliseconds / count;
    Console.WriteLine($"round {round}: {count / wall.TotalSeconds:0.0} papers/s ({wall.TotalSeconds:0.0} s), CPU {cpuPerPaper:0.0} ms per paper; " +
        $"working set {MegaBytes(process.WorkingSet64):0} MB, peak {MegaBytes(process.PeakWorkingSet64):0} MB");
}

var index = PaperIndex.Build(papers);
var vectors = embedder.Embed(index);
var judgedProfiles = JsonSerializer.Deserialize<JudgedProfiles>(
    File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "judgments.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
var profiles = Enumerable.Range(0, profileCount).Select(i => ProfileParser.Parse(judgedProfiles.Profiles[i % judgedProfiles.Profiles.Count].Profile)).ToList();
var profileEmbedder = new ProfileEmbedder(model);
var lexical = new PaperRanker(Options.Create(new RankingOptions { Semantic = false }));
var blended = new PaperRanker(Options.Create(new RankingOptions()), profileEmbedder);
foreach (var profile in profiles) blended.Rank(index, profile, 10, vectors: vectors);
for (var round = 1; round <= rounds; round++)
{
    clock.Restart();
    foreach (var profile in profiles) lexical.Rank(index, profile, 10);
    var lexicalTime = clock.Elapsed;
    clock.Restart();
    foreach (var profile in profiles) blended.Rank(index, profile, 10, vectors: vectors);
    var blendedTime = clock.Elapsed;
    Console.WriteLine($"ranking round {round}, {profileCount} profiles against {index.Papers.Count} papers: lexical {profileCount / lexicalTime.TotalSeconds:0} profiles/s, " +
        $"blended {profileCount / blendedTime.TotalSeconds:0} profiles/s ({blendedTime / lexicalTime:0.0}x the time)");
}

internal sealed record JudgedPaper(string Id, string Title, string Abstract);

internal sealed record JudgedProfile(string Profile);

internal sealed record JudgedProfiles(List<JudgedProfile> Profiles);
