// The whole digest run, end to end, as `papermailer digest` does it: N due subscribers (default 100,000) with
// realistic profiles at several recipient domains, ranked against a seed-sized corpus (402 papers), rendered with the
// shipped templates, recorded in a SQLite ledger and sent. In one process, each run on a fresh database:
//   1. the run to the outbox (a folder of .eml files): what the run costs around the transport;
//   2. the run over SMTP to a local server (the Postfix discard sink of scripts/test-servers.sh), with the ceiling —
//      the outbox run's .eml files sent by a minimal pipelined client over as many connections — measured half just
//      before and half just after it, so both see the same machine.
// Each run prints digests/s, CPU per digest, the process's peak memory, the import of its subscribers, and where the
// run's time went by stage (summed over threads). Compare ratios, not bare rates. Ranking is the product's default,
// the semantic blend, with the papers' vectors stored before the run as a collection stores them; --ranking lexical
// measures ranking on words alone. --rated-every N gives every N-th subscriber six ratings (more/less like this), so
// that what ratings cost a run shows beside a run without them.
//
//   dotnet run -c Release --project bench/PaperMailer.RunBench -- [--subscribers 100000] [--papers 402]
//       [--connections 4] [--host 127.0.0.1] [--port 2526] [--rounds 1] [--ranking blend|lexical] [--rated-every N]
//
// Without --port (or PAPERMAILER_TEST_POSTFIX=host:port) only the outbox run is made. Run it from the repository
// root (it reads templates/, config/topics.json and samples/).
using System.Diagnostics;
using System.Globalization;
using PaperMailer.Digest;
using PaperMailer.RunBench;

var settings = RunSettings.Parse(args);
Console.WriteLine($"{settings.Subscribers:N0} subscribers, ranking {(settings.Lexical ? "lexical" : "blended (the default)")}" +
    (settings.RatedEvery > 0 ? $", one in {settings.RatedEvery} of them with 6 rated papers" : "") + $"; SMTP {(settings.Host is null ? "skipped" : $"{settings.Host}:{settings.Port} over {settings.Connections} connections")}");
var work = Directory.CreateTempSubdirectory("papermailer-runbench-");
try
{
    var corpus = await BenchCorpus.LoadAsync(settings.Papers);
    Console.WriteLine($"{corpus.Papers.Count} papers; profiles of 1–3 keywords (every fifth a preset topic, every seventh an exclusion) at five domains");

    // Warm-up: JIT, SQLite and template caches, and the server's process pool.
    await WholeRun.RunAsync(settings with { Subscribers = 500 }, corpus, Path.Combine(work.FullName, "warm"), smtp: settings.Host is not null);

    for (int round = 1; round <= settings.Rounds; round++)
    {
        var outboxFolder = Path.Combine(work.FullName, $"outbox-run-{round}");
        var outbox = await WholeRun.RunAsync(settings, corpus, outboxFolder, smtp: false);
        Print($"round {round}: digest run to the outbox", outbox);
        if (settings.Host is null)
        {
            Directory.Delete(outboxFolder, recursive: true);
            continue;
        }

        // Read from the disk as they are sent (the page cache has them): holding 100,000 digests in memory would
        // make this process's peak memory the ceiling's, not the run's.
        var files = Directory.GetFiles(Path.Combine(outboxFolder, "outbox"), "*.eml");
        Console.WriteLine($"  {files.Length:N0} digests of {files.Average(f => new FileInfo(f).Length) / 1024:0.0} KB on average");
        var half = files.Length / 2;
        var watch = Stopwatch.StartNew();
        await CeilingClient.SendAsync(settings.Host, settings.Port, settings.Connections, files.Take(half).ToList());
        var ceilingTime = watch.Elapsed;
        var smtp = await WholeRun.RunAsync(settings, corpus, Path.Combine(work.FullName, $"smtp-run-{round}"), smtp: true);
        watch.Restart();
        await CeilingClient.SendAsync(settings.Host, settings.Port, settings.Connections, files.Skip(half).ToList());
        ceilingTime += watch.Elapsed;
        var ceiling = files.Length / ceilingTime.TotalSeconds;
        Print($"round {round}: digest run over SMTP", smtp);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  minimal pipelined client (ceiling): {ceiling:0} messages/s; SMTP run / ceiling = {smtp.Rate / ceiling:0.00}, outbox run / ceiling = {outbox.Rate / ceiling:0.00}"));
        Directory.Delete(outboxFolder, recursive: true);
    }
}
finally
{
    work.Delete(recursive: true);
}

static void Print(string what, RunResult result)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: {result.Rate:0} digests/s ({result.Sent:N0} sent, {result.NothingToSend:N0} with nothing to send, {result.Elapsed.TotalSeconds:0.0} s), " +
        $"{result.CpuMicrosecondsPerDigest:0} µs CPU per digest, {result.AllocatedKilobytesPerDigest:0} KB allocated per digest, peak working set during the run {result.PeakWorkingSet / 1048576.0:0} MB (live heap after it {result.LiveHeapAfter / 1048576.0:0} MB), import {result.Import.TotalSeconds:0.0} s"));
    var digests = result.Sent + result.NothingToSend;
    Console.WriteLine("  time by stage, summed over threads (µs per digest): " + string.Join(", ", Enum.GetValues<DigestRunStage>()
        .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.ToString().ToLowerInvariant()} {result.Stages[s].TotalMicroseconds / digests:0}"))));
}
