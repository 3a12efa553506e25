using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
            Add(context), Invite(context), Update(context), Show(context), List(context), Remove(context), Import(context),
        };

    private const string TrendingHelp = "Trending today: also (or, without topics and keywords, only) the day's most upvoted new papers on Hugging Face.";

    private static Command Add(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The subscriber's email address." };
        var name = new Option<string?>("--name") { Description = "Name used in the greeting." };
        var topics = new Option<string?>("--topics") { Description = "Topic ids, separated by commas (see config/topics.json)." };
        var keywords = new Option<string?>("--keywords") { Description = "Keywords and phrases, separated by commas." };
        var exclusions = new Option<string?>("--exclude") { Description = "Terms that rule a paper out, separated by commas." };
        var timezone = new Option<string>("--timezone") { Description = "IANA time zone, e.g. Europe/Berlin.", DefaultValueFactory = _ => "UTC" };
        var hour = new Option<int>("--hour") { Description = "Local hour (0-23) from which the digest is sent.", DefaultValueFactory = _ => 8 };
        var weekly = new Option<bool>("--weekly") { Description = "One digest a week instead of one a day." };
        var maxPapers = new Option<int>("--max-papers") { Description = "Most papers per digest.", DefaultValueFactory = _ => 10 };
        var trending = new Option<bool>("--trending") { Description = TrendingHelp };
        var command = new Command("add", "Add an active subscriber.") { email, name, topics, keywords, exclusions, timezone, hour, weekly, maxPapers, trending };
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
                Profile = new SubscriberProfile
                {
                    Topics = RankingProfile.SplitList(parse.GetValue(topics)),
                    Keywords = RankingProfile.SplitList(parse.GetValue(keywords)),
                    Exclusions = RankingProfile.SplitList(parse.GetValue(exclusions)),
                    Trending = parse.GetValue(trending),
                },
                MaxPapers = parse.GetValue(maxPapers),
                CreatedAt = clock.GetUtcNow(),
            };
            var problems = SubscriberRules.Problems(subscriber, services.GetRequiredService<ITopicCatalog>().All);
            if (problems.Count > 0)
            {
                foreach (var problem in problems) context.Error.WriteLine($"Refused {subscriber.Email}: {problem}.");
                return ExitCodes.Failure;
            }
            try
            {
                var added = await services.GetRequiredService<ISubscriberStore>().AddAsync(subscriber, ct);
                await services.GetRequiredService<IConsentLog>().AddAsync(new ConsentRecord
                {
                    SubscriberId = added.Id, Kind = ConsentKinds.AddedByOperator, At = clock.GetUtcNow(), Ip = "cli",
                    Details = "added as active by an operator (papermailer subscribers add)",
                }, ct);
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

    /// <summary>What the web form does: a pending subscriber and a confirmation email; only the link activates it.</summary>
    private static Command Invite(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The address to invite." };
        var profile = new ProfileOptions();
        var command = new Command("invite", "Send a confirmation email (double opt-in), as the subscribe page does; the address is active only after the link is followed.") { email };
        profile.AddTo(command);
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var outcome = await services.GetRequiredService<SubscriptionService>().RequestAsync(new SubscribeRequest
            {
                Email = parse.GetValue(email)!,
                Name = parse.GetValue(profile.Name),
                Profile = profile.Read(parse, SubscriberProfile.Empty),
                Weekday = parse.GetValue(profile.Weekday),
                TimeZone = parse.GetValue(profile.TimeZone) ?? "UTC",
                DeliveryHour = parse.GetValue(profile.Hour) ?? 8,
                Frequency = DigestFrequencies.Parse(parse.GetValue(profile.Frequency)) ?? DigestFrequency.Daily,
                Ip = "cli",
            }, ct);
            if (!outcome.Ok)
            {
                foreach (var problem in outcome.Problems) context.Error.WriteLine($"Refused {parse.GetValue(email)}: {problem}.");
                return ExitCodes.Failure;
            }
            context.Out.WriteLine($"Invited {parse.GetValue(email)}: a confirmation email was sent (or, if the address is already subscribed, a notice with its manage link).");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>What the preferences page does, for operators.</summary>
    private static Command Update(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The subscriber's email address." };
        var profile = new ProfileOptions();
        var command = new Command("update", "Change a subscriber's topics, keywords, exclusions, hour, time zone or frequency (daily, weekly, feed-only, paused); unspecified fields stay.") { email };
        profile.AddTo(command);
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var store = services.GetRequiredService<ISubscriberStore>();
            if (await store.GetByEmailAsync(parse.GetValue(email)!, ct) is not { } subscriber)
            {
                context.Error.WriteLine($"No subscriber has the address {parse.GetValue(email)}.");
                return ExitCodes.Failure;
            }
            var frequency = parse.GetValue(profile.Frequency);
            if (frequency is not (null or "paused") && DigestFrequencies.Parse(frequency) is null)
            {
                context.Error.WriteLine($"--frequency: \"{frequency}\" is not one of daily, weekly, feed-only, paused.");
                return ExitCodes.Usage;
            }
            var preferences = new Preferences(
                parse.GetValue(profile.Name),
                profile.Read(parse, subscriber.Profile),
                parse.GetValue(profile.TimeZone) ?? subscriber.TimeZone,
                parse.GetValue(profile.Hour) ?? subscriber.DeliveryHour,
                DigestFrequencies.Parse(frequency) ?? subscriber.Frequency,
                frequency == "paused" || (frequency is null && subscriber.Status == SubscriberStatus.Paused),
                parse.GetValue(profile.Weekday) ?? subscriber.Weekday);
            var problems = await services.GetRequiredService<SubscriptionService>().UpdatePreferencesAsync(subscriber, preferences, "cli", null, ct);
            if (problems.Count > 0)
            {
                foreach (var problem in problems) context.Error.WriteLine($"Refused: {problem}.");
                return ExitCodes.Failure;
            }
            var updated = (await store.GetByIdAsync(subscriber.Id, ct))!;
            context.Out.WriteLine($"Updated {updated.Email}: {updated.Status.ToString().ToLowerInvariant()}, {updated.Frequency.Name()}, after {updated.DeliveryHour}:00 {updated.TimeZone}, {string.Join(", ", updated.Profile.Topics.Concat(updated.Profile.Keywords).Concat(updated.Profile.Trending ? ["trending today"] : []))}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The subscriber's email address." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "One subscriber: profile, status, signed manage and unsubscribe links, and the consent history.") { email, json };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            if (await services.GetRequiredService<ISubscriberStore>().GetByEmailAsync(parse.GetValue(email)!, ct) is not { } s)
            {
                context.Error.WriteLine($"No subscriber has the address {parse.GetValue(email)}.");
                return ExitCodes.Failure;
            }
            // Showing changes nothing, not even by making the signing key: where none exists yet, no link was ever sent.
            var links = SigningKeyStore.Exists(services.GetRequiredService<IOptions<WebOptions>>().Value) ? services.GetRequiredService<SubscriberLinks>() : null;
            var consents = await services.GetRequiredService<IConsentLog>().ListAsync(s.Id, ct);
            var view = new
            {
                id = s.Id, email = s.Email, name = s.Name, status = s.Status.ToString().ToLowerInvariant(), timezone = s.TimeZone, hour = s.DeliveryHour,
                frequency = s.Frequency.Name(), topics = s.Profile.Topics, keywords = s.Profile.Keywords, exclude = s.Profile.Exclusions, maxPapers = s.MaxPapers,
                trending = s.Profile.Trending, weekday = s.Weekday?.ToString().ToLowerInvariant(), manageUrl = links?.ManageUrl(s.Id), unsubscribeUrl = links?.UnsubscribeUrl(s.Id), feedUrl = links?.FeedUrl(s.Id),
                consents = consents.Select(c => new { kind = c.Kind, at = c.At, ip = c.Ip, details = c.Details }),
            };
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(view));
                return ExitCodes.Ok;
            }
            context.Out.WriteLine($"{s.Email} ({view.status}), {view.frequency} after {s.DeliveryHour}:00 {s.TimeZone}");
            context.Out.WriteLine($"  topics: {string.Join(", ", s.Profile.Topics)}; keywords: {string.Join(", ", s.Profile.Keywords)}; exclude: {string.Join(", ", s.Profile.Exclusions)}; trending today: {(s.Profile.Trending ? "yes" : "no")}");
            if (links is null) context.Out.WriteLine("  links: none yet (the signing key is made by the first command that sends email, or by `papermailer run`)");
            else context.Out.WriteLine($"  manage: {view.manageUrl}{Environment.NewLine}  unsubscribe: {view.unsubscribeUrl}{Environment.NewLine}  feed: {view.feedUrl}");
            foreach (var c in consents) context.Out.WriteLine($"  {c.At:u} {c.Kind} from {c.Ip ?? "?"}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The profile options shared by invite and update.</summary>
    private sealed class ProfileOptions
    {
        public Option<string?> Name { get; } = new("--name") { Description = "Name used in the greeting." };
        public Option<string?> Topics { get; } = new("--topics") { Description = "Topic ids, separated by commas." };
        public Option<string?> Keywords { get; } = new("--keywords") { Description = "Keywords and phrases, separated by commas." };
        public Option<string?> Exclusions { get; } = new("--exclude") { Description = "Terms that rule a paper out, separated by commas." };
        public Option<string?> TimeZone { get; } = new("--timezone") { Description = "IANA time zone, e.g. Europe/Berlin." };
        public Option<int?> Hour { get; } = new("--hour") { Description = "Local hour (0-23) from which the digest is sent." };
        public Option<string?> Frequency { get; } = new("--frequency") { Description = "daily, weekly, feed-only (no email: the day's papers go to the subscriber's Atom feed) or paused." };
        public Option<bool?> Trending { get; } = new("--trending") { Description = TrendingHelp + " --trending false turns it off." };
        public Option<DayOfWeek?> Weekday { get; } = new("--weekday") { Description = "The day a weekly digest goes out (monday … sunday); without it, a week after the previous one." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Name, Topics, Keywords, Exclusions, TimeZone, Hour, Frequency, Trending, Weekday }) command.Options.Add(option);
        }

        /// <summary>The profile the options give; an option left out keeps its value in <paramref name="unchanged"/>.</summary>
        public SubscriberProfile Read(ParseResult parse, SubscriberProfile unchanged) => new()
        {
            Topics = parse.GetValue(Topics) is { } topics ? RankingProfile.SplitList(topics) : unchanged.Topics,
            Keywords = parse.GetValue(Keywords) is { } keywords ? RankingProfile.SplitList(keywords) : unchanged.Keywords,
            Exclusions = parse.GetValue(Exclusions) is { } exclusions ? RankingProfile.SplitList(exclusions) : unchanged.Exclusions,
            Trending = parse.GetValue(Trending) ?? unchanged.Trending,
        };
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
                    frequency = s.Frequency.Name(), topics = s.Profile.Topics, keywords = s.Profile.Keywords, exclude = s.Profile.Exclusions, maxPapers = s.MaxPapers,
                    trending = s.Profile.Trending,
                })));
                return ExitCodes.Ok;
            }
            foreach (var s in all)
                context.Out.WriteLine($"{s.Email,-36} {s.Status.ToString().ToLowerInvariant(),-12} {s.DeliveryHour:00}:00 {s.TimeZone,-20} {string.Join(", ", s.Profile.Topics.Concat(s.Profile.Keywords))}");
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
            await services.GetRequiredService<SubscriptionService>().UnsubscribeAsync(subscriber, "removed by an operator (papermailer subscribers remove)", "cli", null, ct);
            context.Out.WriteLine($"Unsubscribed {subscriber.Email}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Import(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header row (email,name,topics,keywords,exclude,timezone,hour,frequency,max_papers,trending; lists separated by ';') or JSON lines." };
        var update = new Option<bool>("--update") { Description = "Existing addresses take the file's profile (fields the file leaves blank stay); unsubscribed or bounced ones are left so." };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Existing addresses are left as they are and counted." };
        var command = new Command("import", "Import subscribers, all or nothing: any bad row (reported by line) imports none; an existing address is a problem unless --update or --skip-existing says what to do with it.")
        {
            file, update, skipExisting,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(update) && parse.GetValue(skipExisting))
            {
                context.Error.WriteLine("--update and --skip-existing cannot be given together: choose whether existing addresses take the file's profile or stay as they are.");
                return Task.FromResult(ExitCodes.Usage);
            }
            var existing = parse.GetValue(update) ? ExistingAddresses.Update : parse.GetValue(skipExisting) ? ExistingAddresses.Skip : ExistingAddresses.Refuse;
            return context.WithServicesAsync(services => ImportFileAsync(context, services, parse.GetValue(file)!, existing, ct));
        });
        return command;
    }

    private const long LargeImportFileBytes = 1_000_000;

    private static async Task<int> ImportFileAsync(CliContext context, ServiceProvider services, FileInfo path, ExistingAddresses existing, CancellationToken ct)
    {
        if (!path.Exists)
        {
            context.Error.WriteLine($"{path.FullName} does not exist.");
            return ExitCodes.Failure;
        }
        var clock = services.GetRequiredService<TimeProvider>();
        var progress = ImportProgressLine.ForTerminal(context.Error);
        // Reading is one step without counts; say so only where it takes a noticeable moment.
        if (path.Length > LargeImportFileBytes) progress?.Show("reading the file");
        var file = SubscriberImportReader.Read(path.FullName, services.GetRequiredService<ITopicCatalog>().All, clock);
        var importer = new SubscriberImporter(services.GetRequiredService<ISubscriberStore>(), services.GetRequiredService<IConsentLog>(), clock);
        SubscriberImportReport report;
        try
        {
            report = await importer.ImportAsync(file, existing, progress, ct);
        }
        catch (DuplicateSubscriberException ex)
        {
            // Someone else added the address between the check and the write; nothing of the file was stored.
            progress?.Clear();
            context.Error.WriteLine($"Nothing imported: {ex.Message}");
            return ExitCodes.Failure;
        }
        progress?.Clear();
        foreach (var line in ImportProblemGroups.Describe(file.DisplayName, report.Problems)) context.Error.WriteLine(line);
        if (report.NotResubscribed.Count > 0)
        {
            var shown = string.Join(", ", report.NotResubscribed.Take(ImportProblemGroups.LinesShown));
            var rest = report.NotResubscribed.Count > ImportProblemGroups.LinesShown ? $", … (first {ImportProblemGroups.LinesShown} shown)" : "";
            context.Out.WriteLine($"Not resubscribed (unsubscribed or bounced; an import is not their consent, so they stay as they are until they "
                + $"subscribe again): {ImportProblemGroups.Count(report.NotResubscribed.Count)} — {shown}{rest}");
        }
        (report.Imported ? context.Out : context.Error).WriteLine(report.Summary());
        return report.Imported ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
