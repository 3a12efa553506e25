// SMTP throughput: PaperMailer's own transport against System.Net.Mail at the same connection count, and both
// against the ceiling a minimal pipelined client reaches on the same server, all in one run. Reports messages per
// second and the ratios; the ratios are what to compare between machines.
//
//   dotnet run -c Release --project bench/PaperMailer.Benchmarks -- [--host 127.0.0.1] [--port 2526]
//       [--messages 10000] [--connections 4] [--system-net-mail-messages N] [--dkim]
//
// --dkim signs every message of our transport with a fresh 2048-bit key (System.Net.Mail cannot sign), and first
// reports where a signed message's CPU goes (MIME write, DKIM sign, RSA alone) and RSA-2048 signatures/s.
//
// Run it from the repository root (it renders real digests from samples/ with templates/) against a server that
// accepts everything, such as the Postfix discard sink scripts/test-servers.sh starts on 127.0.0.1:2526.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Benchmarks;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Smtp;

var settings = BenchSettings.Parse(args);
var messages = await DigestMessages.RenderAsync(settings.Messages);
var sizes = messages.Select(m => PaperMailer.Deliver.Mime.MimeMessageWriter.Write(m).Length).ToList();
Console.WriteLine($"{settings.Messages} digests, {sizes.Average() / 1024:0.0} KB on average ({sizes.Min() / 1024:0.0}-{sizes.Max() / 1024:0.0} KB), " +
    $"to {settings.Host}:{settings.Port} over {settings.Connections} connections each");

var smtp = new SmtpOptions { Host = settings.Host, Port = settings.Port, Security = SmtpSecurity.None, MaxConnections = settings.Connections, MaxMessagesPerConnection = 0 };

// Warm-up: JIT, connection set-up and the server's process pool, so the timed runs measure steady sending.
await MinimalPipelinedClient.RunAsync(settings.Host, settings.Port, settings.Connections, messages.Take(200).ToList());

double ceiling = Rate(settings.Messages, await Time(() => MinimalPipelinedClient.RunAsync(settings.Host, settings.Port, settings.Connections, messages)));
Console.WriteLine($"minimal pipelined client (ceiling): {ceiling,8:0.0} messages/s");

string keyFile = Path.Combine(Path.GetTempPath(), $"papermailer-bench-{Guid.NewGuid():N}.pem");
var dkim = new DkimOptions();
if (args.Contains("--dkim"))
{
    using var key = System.Security.Cryptography.RSA.Create(2048);
    File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    dkim = new DkimOptions { Domain = "papers.example.org", Selector = "bench", PrivateKeyFile = keyFile };
}

if (dkim.IsConfigured)
{
    SigningCost.Report(messages, keyFile);
}

double ours;
using var signer = new DkimSigner(Options.Create(dkim));
await using (var transport = new SmtpTransport(Options.Create(smtp), signer, NullLogger<SmtpTransport>.Instance))
{
    ours = Rate(settings.Messages, await Time(() => SendAllAsync(transport, messages)));
}
File.Delete(keyFile);
Console.WriteLine($"PaperMailer SmtpTransport:          {ours,8:0.0} messages/s{(signer.IsEnabled ? " (DKIM-signed)" : "")}");

var systemNetMailMessages = messages.Take(settings.SystemNetMailMessages).ToList();
double systemNetMail;
using (var transport = new SystemNetMailTransport(Options.Create(smtp), NullLogger<SystemNetMailTransport>.Instance))
{
    systemNetMail = Rate(systemNetMailMessages.Count, await Time(() => SendAllAsync(transport, systemNetMailMessages)));
}
Console.WriteLine($"System.Net.Mail transport:          {systemNetMail,8:0.0} messages/s ({systemNetMailMessages.Count} messages)");

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ours / ceiling = {ours / ceiling:0.00}   ours / System.Net.Mail = {ours / systemNetMail:0.0}x   System.Net.Mail / ceiling = {systemNetMail / ceiling:0.00}"));

static double Rate(int count, TimeSpan elapsed) => count / elapsed.TotalSeconds;

static async Task<TimeSpan> Time(Func<Task> run)
{
    var watch = Stopwatch.StartNew();
    await run();
    return watch.Elapsed;
}

// As the digest run does: as many sends in flight as the transport has connections; every one must be accepted.
static Task SendAllAsync(IMailTransport transport, IReadOnlyList<OutgoingMessage> messages) =>
    Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = transport.MaxConcurrency }, async (message, ct) =>
    {
        DeliveryResult result = await transport.SendAsync(message, ct);
        if (result.Outcome != DeliveryOutcome.Sent)
        {
            throw new InvalidOperationException($"{transport.Name} did not send {message.MessageId}: {result.Reply}");
        }
    });
