// `papermailer rank --profiles` against the batched tf-idf peer (tfidf_peer.py: scikit-learn, one sparse matrix
// product) and against the ranker alone, side by side in one run:
//   - the command: the real program, as a user runs it (`papermailer rank --papers P --profiles F --top N > out`);
//   - the peer: `python3 tfidf_peer.py --explain P F N > out`, the same files, the same lines (each result with its
//     explanations, as the command prints them);
//   - the lean peer: `python3 tfidf_peer.py P F N > out`, lines that stop at each result's score (about 40% of the
//     bytes), printed beside as the comparison most favourable to the peer;
//   - the ranker alone (the ceiling): this process ranking the same profiles on every core, nothing read or written.
//   - the command with the semantic blend (the product's default): the same, blending in similarity of meaning with
//     the papers' vectors read from a database into which the papers file was collected once before the rounds (as a
//     service's papers are: embedded when collected, not again for each run), and the profiles' keyword vectors kept
//     there by the first blended run (printed apart); the plain command runs with --lexical.
// Each round runs the programs one after the other (which goes first alternates) and then the ranker alone; a
// round's ratios compare what ran within seconds of each other, and the medians over rounds are the figures to quote.
// Before the rounds, the papers file is collected into two fresh databases, with the blend off and on: how much
// embedding delays a collection of that many new papers.
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
    var command = new Contender("papermailer rank --profiles --lexical", settings.Cli,
        ["rank", "--papers", inputs.PapersFile, "--profiles", inputs.ProfilesFile, "--top", top, "--lexical"]);
    string[] Store(string name) => ["--Storage:Provider=Sqlite", $"--Storage:ConnectionString=Data Source={Path.Combine(work.FullName, name)}"];
    var blended = new Contender("papermailer rank --profiles (blend)", settings.Cli,
        ["rank", "--papers", inputs.PapersFile, "--profiles", inputs.ProfilesFile, "--top", top, .. Store("blend.db")]);
    Contender? peer = python is null ? null : new Contender("tf-idf peer", python, [TfidfPeer.Script, "--explain", inputs.PapersFile, inputs.ProfilesFile, top]);
    Contender? leanPeer = python is null ? null : new Contender("lean tf-idf peer", python, [TfidfPeer.Script, inputs.PapersFile, inputs.ProfilesFile, top]);
    var ceiling = await RankerCeiling.CreateAsync(inputs.PapersFile, inputs.Profiles, settings.Top);
    Console.WriteLine($"program: {settings.Cli}");
    Console.WriteLine($"{settings.Profiles:N0} profiles x {settings.Papers} papers, top {settings.Top}, {Environment.ProcessorCount} cores; " +
        $"{settings.Rounds} rounds after one warm-up run of each program{(peer is null ? "; no peer" : $"; peer with {python}")}");

    var output = Path.Combine(work.FullName, "out.jsonl");
    var collectLexical = await new Contender("collect (lexical)", settings.Cli, ["collect", "--file", inputs.PapersFile, "--Ranking:Semantic=false", .. Store("lexical.db")])
        .RunAsync(output, null);
    var collectBlend = await new Contender("collect (embedding)", settings.Cli, ["collect", "--file", inputs.PapersFile, .. Store("blend.db")]).RunAsync(output, null);
    Console.WriteLine($"collect --file of {settings.Papers} new papers: {collectLexical.TotalSeconds:0.00} s with Ranking:Semantic=false, " +
        $"{collectBlend.TotalSeconds:0.00} s embedding them (+{(collectBlend - collectLexical).TotalSeconds:0.00} s, {settings.Papers / (collectBlend - collectLexical).TotalSeconds:0.0} papers/s)");
    await command.RunAsync(output, settings.Profiles); // warm-up: files in the page cache, the programs' files too
    // The first blended run over this database also embeds the profiles' distinct keywords (loading the model) and
    // keeps their vectors, as a service's first digest run after its subscribers chose their keywords does; the
    // rounds then rank as every later run does. Both are printed.
    var firstBlend = await blended.RunAsync(output, settings.Profiles);
    Console.WriteLine($"first blended run (keywords embedded and stored, the model loaded): {firstBlend.TotalSeconds:0.00} s");
    if (peer is not null) await peer.RunAsync(output, settings.Profiles);
    if (leanPeer is not null) await leanPeer.RunAsync(output, settings.Profiles);

    var rounds = new List<(double Command, double Blend, double Peer, double LeanPeer, double Ceiling)>();
    for (var round = 1; round <= settings.Rounds; round++)
    {
        double commandSeconds, blendSeconds, peerSeconds = double.NaN, leanPeerSeconds = double.NaN;
        if (leanPeer is not null) leanPeerSeconds = (await leanPeer.RunAsync(output, settings.Profiles)).TotalSeconds;
        if (peer is not null && round % 2 == 0)
        {
            peerSeconds = (await peer.RunAsync(output, settings.Profiles)).TotalSeconds;
            blendSeconds = (await blended.RunAsync(output, settings.Profiles)).TotalSeconds;
            commandSeconds = (await command.RunAsync(output, settings.Profiles)).TotalSeconds;
        }
        else
        {
            commandSeconds = (await command.RunAsync(output, settings.Profiles)).TotalSeconds;
            blendSeconds = (await blended.RunAsync(output, settings.Profiles)).TotalSeconds;
            if (peer is not null) peerSeconds = (await peer.RunAsync(output, settings.Profiles)).TotalSeconds;
        }
        var ceilingRate = ceiling.Measure();
        rounds.Add((commandSeconds, blendSeconds, peerSeconds, leanPeerSeconds, ceilingRate));
        Console.WriteLine($"round {round}: command {commandSeconds:0.00} s ({settings.Profiles / commandSeconds,7:N0} profiles/s), blend {blendSeconds:0.00} s ({settings.Profiles / blendSeconds,7:N0} profiles/s)" +
            (peer is null ? "" : $", peer {peerSeconds:0.00} s ({settings.Profiles / peerSeconds,7:N0} profiles/s), command {peerSeconds / commandSeconds:0.00}x and blend {peerSeconds / blendSeconds:0.00}x the peer" +
                $" (lean peer {leanPeerSeconds:0.00} s: command {leanPeerSeconds / commandSeconds:0.00}x, blend {leanPeerSeconds / blendSeconds:0.00}x)") +
            $"; ranker alone {ceilingRate,9:N0} profiles/s, command at {settings.Profiles / commandSeconds / ceilingRate:0.00} of it");
    }

    Console.WriteLine($"median: command {Median(rounds.Select(r => r.Command)):0.00} s, blend {Median(rounds.Select(r => r.Blend)):0.00} s" +
        (peer is null ? "" : $", peer {Median(rounds.Select(r => r.Peer)):0.00} s, command {Median(rounds.Select(r => r.Peer / r.Command)):0.00}x and blend {Median(rounds.Select(r => r.Peer / r.Blend)):0.00}x the peer" +
            $" (lean peer {Median(rounds.Select(r => r.LeanPeer)):0.00} s: command {Median(rounds.Select(r => r.LeanPeer / r.Command)):0.00}x, blend {Median(rounds.Select(r => r.LeanPeer / r.Blend)):0.00}x)") +
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
