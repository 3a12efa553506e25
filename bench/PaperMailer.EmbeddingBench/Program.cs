// Embedding cost: how long a day's papers (~400) take to embed on this machine, and what the model costs in memory.
// Papers are the judged set's 116 real abstracts, repeated to --papers; each round embeds them all with the product's
// PaperEmbedder (title + abstract cut at 128 tokens, batches as the product sends them).
using System.Diagnostics;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Rank.Semantic;

var count = args.SkipWhile(a => a != "--papers").Skip(1).Select(int.Parse).DefaultIfEmpty(400).First();
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).DefaultIfEmpty(3).First();

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

internal sealed record JudgedPaper(string Id, string Title, string Abstract);
