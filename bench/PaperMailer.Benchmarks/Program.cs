// SMTP throughput: PaperMailer's MailKit transport, unsigned and DKIM-signed, against the ceiling a minimal pipelined
// client reaches on the same server, side by side in one run. Reports messages per second and the ratios; the
// ratios are what to compare between machines.
//
//   dotnet run -c Release --project bench/PaperMailer.Benchmarks -- [--host 127.0.0.1] [--port 2526]
//       [--messages 10000] [--connections 4] [--rounds 3] [--segment 500] [--dkim]
//
// Every round sends all the messages once through each contender: the ceiling, the transport unsigned, and with
// --dkim the transport signing every message with a fresh 2048-bit key. The contenders take turns in segments of
// --segment messages (the order rotating), so that whatever else the machine does at the time weighs on each alike;
// a contender's rate is its messages over the sum of its segments' times. --dkim also first reports the cost of
// building and signing one message, with MimeKit's DkimSigner as it comes (BouncyCastle RSA) and as PaperMailer
// uses it (.NET RSA).
//
// The transport is built as the service builds it (the Smtp options' defaults but for Security=None, and a
// DkimMessageSigner), and each message is built by the product's factory just before its send, as the digest run
// does; the ceiling gets its messages as bytes prepared beforehand, over connections it keeps open. Run it from the
// repository root (it renders real digests from samples/ with templates/) against a server that accepts
// everything, such as the Postfix discard sink scripts/test-servers.sh starts on 127.0.0.1:2526.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Benchmarks;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Smtp;

var settings = BenchSettings.Parse(args);
var digests = await DigestMessages.RenderAsync(settings.Messages);
var prepared = MinimalPipelinedClient.Prepare(Enumerable.Range(0, digests.Count).Select(digests.Build));
var sizes = prepared.Select(p => p.Content.Length).ToList();
Console.WriteLine($"{settings.Messages} digests, {sizes.Average() / 1024:0.0} KB on average ({sizes.Min() / 1024:0.0}-{sizes.Max() / 1024:0.0} KB), " +
    $"to {settings.Host}:{settings.Port} over {settings.Connections} connections each, {settings.Rounds} rounds in segments of {settings.Segment}");

var smtp = new SmtpOptions { Host = settings.Host, Port = settings.Port, Security = SmtpSecurity.None, MaxConnections = settings.Connections };
string keyFile = Path.Combine(Path.GetTempPath(), $"papermailer-bench-{Guid.NewGuid():N}.pem");
var dkim = new DkimOptions { Domain = "papers.example.org", Selector = "bench", PrivateKeyFile = keyFile };
using (var key = System.Security.Cryptography.RSA.Create(2048))
{
    File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
}

try
{
    if (settings.Dkim)
    {
        SigningCost.Report(digests, dkim);
    }

    await using var ceiling = await MinimalPipelinedClient.ConnectAsync(settings.Host, settings.Port, settings.Connections);
    await using var unsigned = Transport(new DkimOptions());
    await using var signed = Transport(dkim);
    // Each contender readies a segment (untimed) and returns what the clock times.
    var contenders = new List<Contender>
    {
        new("ceiling", (from, count) => () => ceiling.SendAsync(new ArraySegment<(byte[], byte[])>(prepared, from, count))),
        new("unsigned", (from, count) => () => SendAsync(unsigned, digests.Build, from, count)),
        // The same sends with the segment's messages built before the clock starts: what building costs the sender.
        new("unsigned, built ahead", (from, count) =>
        {
            MimeMessage[] built = [.. Enumerable.Range(from, count).Select(digests.Build)];
            return () => SendAsync(unsigned, i => built[i - from], from, count);
        }),
    };
    if (settings.Dkim)
    {
        contenders.Add(new Contender("signed", (from, count) => () => SendAsync(signed, digests.Build, from, count)));
    }

    // Warm-up: JIT, the pools' connections and the server's processes, so the timed rounds measure steady sending.
    foreach (Contender contender in contenders)
    {
        await contender.Ready(0, Math.Min(500, digests.Count))();
    }

    var rounds = new List<Dictionary<string, double>>();
    for (int round = 1; round <= settings.Rounds; round++)
    {
        var elapsed = contenders.ToDictionary(c => c.Name, _ => TimeSpan.Zero);
        var cpu = contenders.ToDictionary(c => c.Name, _ => TimeSpan.Zero);
        for (int from = 0, turn = 0; from < digests.Count; from += settings.Segment, turn++)
        {
            int count = Math.Min(settings.Segment, digests.Count - from);
            for (int k = 0; k < contenders.Count; k++)
            {
                Contender contender = contenders[(turn + k) % contenders.Count];
                Func<Task> send = contender.Ready(from, count);
                TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await send();
                elapsed[contender.Name] += watch.Elapsed;
                cpu[contender.Name] += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            }
        }

        var rates = elapsed.ToDictionary(e => e.Key, e => digests.Count / e.Value.TotalSeconds);
        rounds.Add(rates);
        Console.WriteLine($"round {round}: {Describe(rates)}");
        // The sender's own CPU (user and kernel, the loopback TCP work included) per message: where the machine's two
        // cores are shared with the server, a sender's CPU is the server's loss.
        Console.WriteLine("         this process's CPU per message: " + string.Join(", ",
            cpu.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value.TotalMilliseconds * 1000 / digests.Count:0} µs"))));
    }

    Dictionary<string, double> median = rounds.OrderBy(r => r["unsigned"] / r["ceiling"]).ElementAt(rounds.Count / 2);
    Console.WriteLine($"median round: {Describe(median)}");
}
finally
{
    File.Delete(keyFile);
}

SmtpTransport Transport(DkimOptions signing) =>
    new(Options.Create(smtp), new DkimMessageSigner(Options.Create(signing)), NullLogger<SmtpTransport>.Instance);

static string Describe(Dictionary<string, double> rates) => string.Create(CultureInfo.InvariantCulture,
    $"ceiling {rates["ceiling"],5:0} msg/s, unsigned {rates["unsigned"],5:0} msg/s = {rates["unsigned"] / rates["ceiling"]:0.00} of the ceiling")
    + string.Create(CultureInfo.InvariantCulture, $" (built ahead {rates["unsigned, built ahead"] / rates["ceiling"]:0.00})")
    + (rates.TryGetValue("signed", out double signed) ? string.Create(CultureInfo.InvariantCulture,
        $", signed {signed,5:0} msg/s = {signed / rates["unsigned"]:0.00} of unsigned ({signed / rates["ceiling"]:0.00} of the ceiling)") : "");

// As the digest run does: as many sends in flight as the transport has connections, each message built just before
// its send; every one must be accepted.
static Task SendAsync(IMailTransport transport, Func<int, MimeMessage> message, int from, int count) =>
    Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = transport.MaxConcurrency }, async (i, ct) =>
    {
        // Disposed once sent, as the digest run does (MimeKit's messages have finalizers).
        using MimeMessage sent = message(i);
        DeliveryResult result = await transport.SendAsync(sent, ct);
        if (result.Outcome != DeliveryOutcome.Sent)
        {
            throw new InvalidOperationException($"{transport.Name} did not send digest {i}: {result.Reply}");
        }
    });

/// <param name="Ready">Readies messages from..from+count (untimed) and returns their timed sending.</param>
internal sealed record Contender(string Name, Func<int, int, Func<Task>> Ready);
