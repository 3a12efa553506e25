using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Subscriptions.Import;
using PaperMailer.Topics;

namespace PaperMailer.Cli.Commands;

internal static class SubscribersCommand
{
    public static Command Create(CliContext context) =>
        new("subscribers", "Add, list, remove and import subscribers (operator-added subscribers are active at once).")
        {
            Add(context), List(context), Remove(context), Import(context),
        };

    private static Command Add(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The subscriber's email address." };
        var name = new Option<string?>("--name") { Description = "Name used in the greeting." };
        var topics = new Option<string?>("--topics") { Description = "Topic ids, separated by commas (see config/topics.json)." };
        var keywords = new Option<string?>("--keywords") { Description = "Keywords and phrases, separated by commas." };
        var exclude = new Option<string?>("--exclude") { Description = "Terms that rule a paper out, separated by commas." };
        var timezone = new Option<string>("--timezone") { Description = "IANA time zone, e.g. Europe/Berlin.", DefaultValueFactory = _ => "UTC" };
        var hour = new Option<int>("--hour") { Description = "Local hour (0-23) from which the digest is sent.", DefaultValueFactory = _ => 8 };
        var weekly = new Option<bool>("--weekly") { Description = "One digest a week instead of one a day." };
        var maxPapers = new Option<int>("--max-papers") { Description = "Most papers per digest.", DefaultValueFactory = _ => 10 };
        var command = new Command("add", "Add an active subscriber.") { email, name, topics, keywords, exclude, timezone, hour, weekly, maxPapers };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var subscriber = new Subscriber
            {
                Email = parse.GetValue(email)!.Trim(),
                Name = parse.GetValue(name),
                Status = SubscriberStatus.Active,
                TimeZone = parse.GetValue(timezone)!,
                DeliveryHour = parse.GetValue(hour),
                Frequency = parse.GetValue(weekly) ? DigestFrequency.Weekly : DigestFrequency.Daily,
                Topics = RankingProfile.SplitList(parse.GetValue(topics)),
                Keywords = RankingProfile.SplitList(parse.GetValue(keywords)),
                ExcludedTerms = RankingProfile.SplitList(parse.GetValue(exclude)),
                MaxPapers = parse.GetValue(maxPapers),
                CreatedAt = clock.GetUtcNow(),
            };
            var known = services.GetRequiredService<ITopicCatalog>().All.Select(t => t.Id).ToList();
            var problems = SubscriberRules.Problems(subscriber, known);
            if (problems.Count > 0)
            {
                foreach (var problem in problems) context.Error.WriteLine($"Refused {subscriber.Email}: {problem}.");
                return ExitCodes.Failure;
            }
            try
            {
                var added = await services.GetRequiredService<ISubscriberStore>().AddAsync(subscriber, ct);
                context.Out.WriteLine($"Added {added.Email} (id {added.Id}), active, digest after {added.DeliveryHour}:00 {added.TimeZone}.");
                return ExitCodes.Ok;
            }
            catch (DuplicateSubscriberException ex)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.Failure;
            }
        }));
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, each subscriber with its email and status." };
        var command = new Command("list", "List subscribers.") { json };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var all = await services.GetRequiredService<ISubscriberStore>().ListAsync(null, ct);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(all.Select(s => new
                {
                    id = s.Id, email = s.Email, name = s.Name, status = s.Status.ToString().ToLowerInvariant(), timezone = s.TimeZone, hour = s.DeliveryHour,
                    frequency = s.Frequency.ToString().ToLowerInvariant(), topics = s.Topics, keywords = s.Keywords, exclude = s.ExcludedTerms, maxPapers = s.MaxPapers,
                })));
                return ExitCodes.Ok;
            }
            foreach (var s in all)
                context.Out.WriteLine($"{s.Email,-36} {s.Status.ToString().ToLowerInvariant(),-12} {s.DeliveryHour:00}:00 {s.TimeZone,-20} {string.Join(", ", s.Topics.Concat(s.Keywords))}");
            context.Out.WriteLine($"{all.Count} subscribers.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The subscriber's email address." };
        var command = new Command("remove", "Unsubscribe an address: nothing is sent to it again; its history stays in the ledger.") { email };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var store = services.GetRequiredService<ISubscriberStore>();
            var subscriber = await store.GetByEmailAsync(parse.GetValue(email)!, ct);
            if (subscriber is null)
            {
                context.Error.WriteLine($"No subscriber has the address {parse.GetValue(email)}.");
                return ExitCodes.Failure;
            }
            await store.SetStatusAsync(subscriber.Id, SubscriberStatus.Unsubscribed, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            context.Out.WriteLine($"Unsubscribed {subscriber.Email}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Import(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header row (email,name,topics,keywords,exclude,timezone,hour; lists separated by ';') or JSON lines." };
        var command = new Command("import", "Import subscribers, all or nothing: any bad row (reported by line) imports none.") { file };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                context.Error.WriteLine($"{path.FullName} does not exist.");
                return ExitCodes.Failure;
            }
            var known = services.GetRequiredService<ITopicCatalog>().All.Select(t => t.Id).ToList();
            var result = SubscriberImportReader.Read(path.FullName, known, services.GetRequiredService<TimeProvider>());
            if (!result.Succeeded)
            {
                foreach (var error in result.Errors) context.Error.WriteLine(error);
                context.Error.WriteLine($"Nothing imported: {result.Errors.Count} problems.");
                return ExitCodes.Failure;
            }
            try
            {
                await services.GetRequiredService<ISubscriberStore>().AddManyAsync(result.Subscribers, ct);
            }
            catch (DuplicateSubscriberException ex)
            {
                context.Error.WriteLine($"Nothing imported: {ex.Message}");
                return ExitCodes.Failure;
            }
            context.Out.WriteLine($"Imported {result.Subscribers.Count} subscribers.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
