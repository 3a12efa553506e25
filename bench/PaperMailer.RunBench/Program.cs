// The whole digest run, end to end, as `papermailer digest` does it: N due subscribers with 1–3 keywords each,
// ranked against the bench corpus, rendered with the shipped templates, recorded in a SQLite ledger and sent.
// Three measurements in one process, each on a fresh database:
//   1. the run to the outbox (a folder of .eml files): what the run costs around the transport;
//   2. the run over SMTP to a local server (the Postfix discard sink of scripts/test-servers.sh);
//   3. the ceiling: the same .eml files sent by a minimal pipelined client over the same number of connections.
// Reports digests/s for each and the SMTP run as a share of the ceiling; compare ratios, not bare rates.
//
//   dotnet run -c Release --project bench/PaperMailer.RunBench -- [--subscribers 3000] [--connections 4]
//       [--host 127.0.0.1] [--port 2526]
//
// Run it from the repository root (it reads templates/, config/topics.json and samples/).
using System.Diagnostics;
using System.Globalization;
using PaperMailer.RunBench;

var settings = RunSettings.Parse(args);
Console.WriteLine($"{settings.Subscribers} subscribers, SMTP {settings.Host}:{settings.Port} over {settings.Connections} connections");
var work = Directory.CreateTempSubdirectory("papermailer-runbench-");
try
{
    var corpus = await BenchCorpus.LoadAsync();
    Console.WriteLine($"{corpus.Papers.Count} papers, profiles of 1–3 keywords from config/topics.json");

    // Warm-up: JIT, SQLite and template caches, and the server's process pool.
    await WholeRun.RunAsync(settings with { Subscribers = 200 }, corpus, Path.Combine(work.FullName, "warm"), smtp: true);

    var outbox = await WholeRun.RunAsync(settings, corpus, Path.Combine(work.FullName, "outbox-run"), smtp: false);
    Console.WriteLine(Line("digest run to the outbox", outbox));
    var smtp = await WholeRun.RunAsync(settings, corpus, Path.Combine(work.FullName, "smtp-run"), smtp: true);
    Console.WriteLine(Line("digest run over SMTP", smtp));

    var files = Directory.GetFiles(Path.Combine(work.FullName, "outbox-run", "outbox"), "*.eml").Select(File.ReadAllBytes).ToList();
    Console.WriteLine($"{files.Count} digests of {files.Average(f => f.Length) / 1024:0.0} KB on average");
    var watch = Stopwatch.StartNew();
    await CeilingClient.SendAsync(settings.Host, settings.Port, settings.Connections, files);
    var ceiling = files.Count / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"minimal pipelined client (ceiling): {ceiling,8:0.0} messages/s");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"SMTP run / ceiling = {smtp.Rate / ceiling:0.00}   outbox run / ceiling = {outbox.Rate / ceiling:0.00}"));
}
finally
{
    work.Delete(recursive: true);
}

static string Line(string what, RunResult result) =>
    $"{what + ":",-36}{result.Rate,8:0.0} digests/s ({result.Sent} sent, {result.NothingToSend} with nothing to send, {result.Elapsed.TotalSeconds:0.0} s), {result.CpuMicrosecondsPerDigest:0} µs CPU per digest";
