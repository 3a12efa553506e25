using System.Diagnostics;
using Microsoft.Extensions.Options;
using PaperMailer.Render;

// Digest rendering: PaperMailer's renderer as a digest run uses it (model built per digest, escaping context,
// strict mode, limits; the folder looked at once, as a run does when it starts; excerpts and their highlighting
// remembered, as across a run's digests) against Scriban rendering the same templates with a plain model built once
// (RawScriban), for 10- and 50-paper digests, interleaved in one process.
// Usage: dotnet run -c Release --project bench/PaperMailer.RenderBench -- [seconds per measurement=2] [rounds=5]
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
var templates = Path.Combine(AppContext.BaseDirectory, "templates");
var options = new TemplateOptions { Directory = templates };
var renderer = new DigestRenderer(Options.Create(options));
renderer.Validate();

Console.WriteLine($"Digest renders per second (subject + text + HTML), one thread, {rounds} rounds of {seconds} s each, best round");
Console.WriteLine($"{"papers",6} {"product",10} {"raw Scriban",12} {"product/raw",12} {"HTML bytes",11} {"KB allocated per render (product, raw)",40}");
foreach (var papers in new[] { 10, 50 })
{
    var content = SampleDigest.WithPapers(papers);
    var raw = new RawScriban(templates, DigestTemplateModel.Build(content, options));
    var html = renderer.Render(content).Html.Length;
    double bestProduct = 0, bestRaw = 0;
    for (var round = 0; round < rounds; round++)
    {
        bestProduct = Math.Max(bestProduct, Rate(() => renderer.Render(content, checkFolder: false).Html.Length));
        bestRaw = Math.Max(bestRaw, Rate(raw.Render));
    }
    var allocated = $"{Allocated(() => renderer.Render(content, checkFolder: false).Html.Length) / 1024,8:N0} {Allocated(raw.Render) / 1024,8:N0}";
    Console.WriteLine($"{papers,6} {bestProduct,10:N0} {bestRaw,12:N0} {bestProduct / bestRaw,12:P0} {html,11:N0} {allocated,40}");
}

// Bytes allocated by one render, averaged over 100: unlike the rates, the same on a busy machine as on a quiet one.
static double Allocated(Func<int> render)
{
    render();
    var before = GC.GetAllocatedBytesForCurrentThread();
    for (var i = 0; i < 100; i++) render();
    return (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;
}

double Rate(Func<int> render)
{
    for (var i = 0; i < 20; i++) render();
    var sink = 0;
    var count = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        sink += render();
        count++;
    }
    GC.KeepAlive(sink);
    return count / clock.Elapsed.TotalSeconds;
}
