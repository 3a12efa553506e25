using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Collect;
using PaperMailer.Configuration;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;

namespace PaperMailer.Cli.Commands;

/// <summary>
/// The whole pipeline once, offline, in a throwaway folder: sample papers, three sample subscribers with different
/// profiles, outbox delivery. It never touches the configured database or outbox.
/// </summary>
internal static class DemoCommand
{
    public const string SamplePapersFile = "samples/hf-daily-papers.json";

    private static readonly Subscriber[] SampleSubscribers =
    [
        new()
        {
            Email = "ada@example.org", Name = "Ada", TimeZone = "Europe/London", DeliveryHour = 7, MaxPapers = 6,
            Profile = new SubscriberProfile { Topics = ["llm-agents"], Keywords = ["web agent", "memory"] },
        },
        new()
        {
            Email = "ben@example.org", Name = "Ben", TimeZone = "America/New_York", DeliveryHour = 8, MaxPapers = 6,
            Profile = new SubscriberProfile { Topics = ["image-generation"], Keywords = ["visual tokenizer"], Exclusions = ["medical"] },
        },
        new()
        {
            Email = "chen@example.org", Name = "Chen", TimeZone = "Asia/Shanghai", DeliveryHour = 9, MaxPapers = 5,
            Profile = new SubscriberProfile { Keywords = ["reinforcement learning", "robot manipulation", "simulator", "speculative decoding"] },
        },
    ];

    public static Command Create(CliContext context)
    {
        var folder = new Option<DirectoryInfo?>("--folder") { Description = "Where to put the demo's database and outbox. Default: a new folder under the system temp folder." };
        var command = new Command("demo", "Run the whole pipeline once, offline, on sample papers and three sample subscribers; prints where the emails are.") { folder };
        command.SetAction(async (parse, ct) =>
        {
            var root = parse.GetValue(folder)?.FullName
                ?? Path.Combine(Path.GetTempPath(), $"papermailer-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
            Directory.CreateDirectory(root);
            var outbox = Path.Combine(root, "outbox");
            var overrides = new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = $"Data Source={Path.Combine(root, "papermailer.db")}",
                ["Delivery:Transport"] = "Outbox",
                ["Delivery:OutboxDirectory"] = outbox,
                ["Delivery:MaxMessagesPerSecond"] = "0",
                ["Web:SigningKeyFile"] = Path.Combine(root, "signing.key"),
            };
            return await context.WithServicesAsync(async services =>
            {
                var samples = ContentPaths.Resolve(SamplePapersFile);
                var collected = await services.GetRequiredService<PaperCollector>().CollectOneAsync(new PaperFileSource(samples), ct);
                if (collected.Failed)
                {
                    context.Error.WriteLine($"Demo stopped: {collected.Error}");
                    return ExitCodes.Failure;
                }
                context.Out.WriteLine($"Collected {collected.Summary.New} sample papers from {samples}.");

                var store = services.GetRequiredService<ISubscriberStore>();
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                foreach (var subscriber in SampleSubscribers)
                {
                    await store.AddAsync(subscriber with { CreatedAt = now }, ct);
                    context.Out.WriteLine($"Subscribed {subscriber.Email}: {string.Join(", ", subscriber.Profile.Topics.Select(t => "topic " + t).Concat(subscriber.Profile.Keywords))}");
                }

                var exit = await DigestCommand.RunAndReportAsync(context, services.GetRequiredService<DigestRun>(), new DigestRunRequest(DueOnly: false), ct);
                context.Out.WriteLine();
                context.Out.WriteLine($"Demo folder: {root}");
                context.Out.WriteLine($"Emails (.eml, open them in any mail program): {outbox}");
                if (Directory.Exists(outbox))
                {
                    foreach (var file in Directory.GetFiles(outbox, "*.eml").Order()) context.Out.WriteLine($"  {Path.GetFileName(file)}");
                }
                return exit;
            }, overrides);
        });
        return command;
    }
}
