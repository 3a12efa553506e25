// `papermailer rank --profiles` against the batched tf-idf peer (tfidf_peer.py: scikit-learn, one sparse matrix
// product) and against the ranker alone, side by side in one run:
//   - the command: the real program, as a user runs it (`papermailer rank --papers P --profiles F --top N > out`);
//   - the peer: `python3 tfidf_peer.py --explain P F N > out`, the same files, the same lines (each result with its
//     explanations, as the command prints them);
//   - the lean peer: `python3 tfidf_peer.py P F N > out`, lines that stop at each result's score (about 40% of the
//     bytes), printed beside as the comparison most favourable to the peer;
//   - the ranker alone (the ceiling): this process ranking the same profiles on every core, nothing read or written.
// Each round runs the programs one after the other (the command first or last, alternately) and then the ranker alone; a
// round's ratios compare what ran within seconds of each other, and the medians over rounds are the figures to quote.
//
//   dotnet publish src/PaperMailer -c Release     (the program as installed; without it, the build output is run)
//   dotnet build -c Release bench/PaperMailer.RankBench && dotnet bench/PaperMailer.RankBench/bin/Release/net10.0/PaperMailer.RankBench.dll
//       [--profiles 100000] [--papers 400] [--top 10] [--rounds 5] [--python PATH] [--no-peer] [--cli PATH] [--inputs DIR]
// --inputs DIR writes the papers and profiles files there and keeps them (to compare two builds' output on them).
using System.Globalization;
using PaperMailer.RankBench;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var settings = BenchSettings.Parse(args);
if (!File.Exists(settings.Cli))
{
    Console.Error.WriteLine($"The papermailer program is not at {settings.Cli}: build it in this configuration, or pass --cli PATH.");
    return 2;
}
var python = settings.Peer ? TfidfPeer.FindPython(settings.Python) : null;
if (settings.Peer && python is null)
{
    Console.Error.WriteLine(TfidfPeer.Missing);
    return 2;
}

var work = Directory.CreateTempSubdirectory("papermailer-rankbench-");
try
{
    var inputs = await BenchInputs.WriteAsync(settings.Inputs is { } kept ? Directory.CreateDirectory(kept).FullName : work.FullName, settings.Papers, settings.Profiles);
    var top = settings.Top.ToString(CultureInfo.InvariantCulture);
    var command = new Contender("papermailer rank --profiles", settings.Cli,
        ["rank", "--papers", inputs.PapersFile, "--profiles", inputs.ProfilesFile, "--top", top]);
    Contender? peer = python is null ? null : new Contender("tf-idf peer", python, [TfidfPeer.Script, "--explain", inputs.PapersFile, inputs.ProfilesFile, top]);
    Contender? leanPeer = python is null ? null : new Contender("lean tf-idf peer", python, [TfidfPeer.Script, inputs.PapersFile, inputs.ProfilesFile, top]);
    var ceiling = await RankerCeiling.CreateAsync(inputs.PapersFile, inputs.Profiles, settings.Top);
    Console.WriteLine($"program: {settings.Cli}");
    Console.WriteLine($"{settings.Profiles:N0} profiles x {settings.Papers} papers, top {settings.Top}, {Environment.ProcessorCount} cores; " +
        $"{settings.Rounds} rounds after one warm-up run of each program{(peer is null ? "; no peer" : $"; peer with {python}")}");

    var output = Path.Combine(work.FullName, "out.jsonl");
    await command.RunAsync(output, settings.Profiles); // warm-up: files in the page cache, the programs' files too
    if (peer is not null) await peer.RunAsync(output, settings.Profiles);
    if (leanPeer is not null) await leanPeer.RunAsync(output, settings.Profiles);

    var rounds = new List<(double Command, double Peer, double LeanPeer, double Ceiling)>();
    for (var round = 1; round <= settings.Rounds; round++)
    {
        double peerSeconds = double.NaN, leanPeerSeconds = double.NaN;
        var commandSeconds = round % 2 == 1 ? (await command.RunAsync(output, settings.Profiles)).TotalSeconds : double.NaN;
        if (peer is not null) peerSeconds = (await peer.RunAsync(output, settings.Profiles)).TotalSeconds;
        if (leanPeer is not null) leanPeerSeconds = (await leanPeer.RunAsync(output, settings.Profiles)).TotalSeconds;
        if (round % 2 == 0) commandSeconds = (await command.RunAsync(output, settings.Profiles)).TotalSeconds;
        var ceilingRate = ceiling.Measure();
        rounds.Add((commandSeconds, peerSeconds, leanPeerSeconds, ceilingRate));
        Console.WriteLine($"round {round}: command {commandSeconds:0.00} s ({settings.Profiles / commandSeconds,7:N0} profiles/s)" +
            (peer is null ? "" : $", peer {peerSeconds:0.00} s, command {peerSeconds / commandSeconds:0.00}x the peer" +
                $" (lean peer {leanPeerSeconds:0.00} s, {leanPeerSeconds / commandSeconds:0.00}x)") +
            $"; ranker alone {ceilingRate,9:N0} profiles/s, command at {settings.Profiles / commandSeconds / ceilingRate:0.00} of it");
    }

    Console.WriteLine($"median: command {Median(rounds.Select(r => r.Command)):0.00} s" +
        (peer is null ? "" : $", peer {Median(rounds.Select(r => r.Peer)):0.00} s, command {Median(rounds.Select(r => r.Peer / r.Command)):0.00}x the peer" +
            $" (lean peer {Median(rounds.Select(r => r.LeanPeer)):0.00} s, {Median(rounds.Select(r => r.LeanPeer / r.Command)):0.00}x)") +
        $"; ranker alone {Median(rounds.Select(r => r.Ceiling)):N0} profiles/s, command at {Median(rounds.Select(r => settings.Profiles / r.Command / r.Ceiling)):0.00} of it" +
        " (medians of the per-round figures)");
    return 0;
}
finally
{
    work.Delete(recursive: true);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
