using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Cli.Commands;

/// <summary>
/// Sends one preview through the configured transport to an operator's address. It is marked as a test (subject
/// prefix and header), carries no List-Unsubscribe headers and an unsubscribe link that acts for nobody, and is
/// recorded nowhere: the subscriber's own digest is unaffected.
/// </summary>
internal static class SendTestCommand
{
    public static Command Create(CliContext context)
    {
        var to = new Option<string>("--to") { Description = "Address the test goes to.", Required = true };
        var subscriber = new Option<string?>("--subscriber") { Description = "Render this subscriber's digest. Default: the built-in sample digest." };
        var date = new Option<DateOnly?>("--date") { Description = "Digest date (yyyy-MM-dd) for --subscriber. Default: the subscriber's local today." };
        var command = new Command("send-test", "Send one digest preview, marked as a test, through the configured transport; records nothing.") { to, subscriber, date };
        command.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            if (!MailboxAddress.TryParse(parse.GetValue(to), out var recipient) || recipient.Domain.Length == 0 || recipient.LocalPart.Length == 0)
            {
                context.Error.WriteLine($"--to \"{parse.GetValue(to)}\" is not an email address.");
                return ExitCodes.Usage;
            }
            var web = services.GetRequiredService<IOptions<WebOptions>>().Value;
            // A link that unsubscribes nobody: the test inbox must not be able to act for the real subscriber.
            var inertUnsubscribe = $"{web.PublicBaseUrl.TrimEnd('/')}/unsubscribe?token=test-message";
            var clock = services.GetRequiredService<TimeProvider>();
            DigestContent content;
            if (parse.GetValue(subscriber) is { } email)
            {
                var who = await services.GetRequiredService<ISubscriberStore>().GetByEmailAsync(email, ct);
                if (who is null)
                {
                    context.Error.WriteLine($"No subscriber has the address {email}.");
                    return ExitCodes.Failure;
                }
                var day = parse.GetValue(date) ?? DigestCalendar.LocalToday(who, clock.GetUtcNow());
                var (_, papers) = await services.GetRequiredService<DigestPreview>().PreviewAsync(who, day, ct);
                if (papers.Count == 0)
                {
                    context.Error.WriteLine($"{who.Email} would get no digest for {day:yyyy-MM-dd}: no new paper matches the profile; nothing was sent.");
                    return ExitCodes.Failure;
                }
                content = new DigestContent(who, day, papers.Personal, inertUnsubscribe) { Trending = papers.Trending };
            }
            else
            {
                content = SampleDigest.Content(inertUnsubscribe, manageUrl: null);
            }

            RenderedDigest rendered;
            try
            {
                rendered = services.GetRequiredService<DigestRenderer>().Render(content);
            }
            catch (TemplateException ex)
            {
                context.Error.WriteLine($"No test was sent: {ex.Message}");
                return ExitCodes.Failure;
            }
            var messages = services.GetRequiredService<MailMessageFactory>();
            // The sample's reader and date are made up: naming them as if they were a subscriber's digest misled operators.
            var what = parse.GetValue(subscriber) is null
                ? "the built-in sample digest (example papers for an example reader); not a real digest, recorded nowhere"
                : $"preview of the digest for {content.Subscriber.Email} on {content.DigestDate:yyyy-MM-dd}; not a real digest, recorded nowhere";
            using var message = messages.CreateTest(recipient.Name, recipient.Address, rendered.Subject, rendered.Text, rendered.Html, what, content.Subscriber.Id, clock.GetUtcNow());
            var result = await services.GetRequiredService<IMailTransport>().SendAsync(message, ct);
            if (result.Outcome == DeliveryOutcome.Sent)
            {
                context.Out.WriteLine($"Sent a test ({what}) to {recipient.Address}: {result.Reply}");
                return ExitCodes.Ok;
            }
            context.Error.WriteLine($"The test to {recipient.Address} was not sent ({result.Outcome.ToString().ToLowerInvariant()}): {result.Reply}");
            return ExitCodes.Failure;
        }));
        return command;
    }
}
