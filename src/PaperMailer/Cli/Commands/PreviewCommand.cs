using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Digest;
using PaperMailer.Render;
using PaperMailer.Storage;

namespace PaperMailer.Cli.Commands;

internal static class PreviewCommand
{
    public static Command Create(CliContext context)
    {
        var subscriber = new Option<string>("--subscriber") { Description = "Email address of the subscriber.", Required = true };
        var date = new Option<DateOnly?>("--date") { Description = "Digest date (yyyy-MM-dd). Default: the subscriber's local today." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Write digest.html and digest.txt into this folder instead of printing the text part." };
        var command = new Command("preview", "Show the digest a subscriber would get now; records and sends nothing.") { subscriber, date, output };
        command.SetAction((parse, ct) =>
        {
            // A preview records nothing, the signing key included.
            var throwawayKey = context.ThrowawaySigningKeyIfNone();
            return context.WithServicesAsync(async services => await PreviewAsync(services, throwawayKey is not null, parse, ct), throwawayKey);
        });
        return command;

        async Task<int> PreviewAsync(IServiceProvider services, bool throwawayKey, ParseResult parse, CancellationToken ct)
        {
            if (throwawayKey) context.Error.WriteLine("No signing key exists yet (the first send makes it), so the links in this preview do not work.");
            var who = await services.GetRequiredService<ISubscriberStore>().GetByEmailAsync(parse.GetValue(subscriber)!, ct);
            if (who is null)
            {
                context.Error.WriteLine($"No subscriber has the address {parse.GetValue(subscriber)}.");
                return ExitCodes.Failure;
            }
            try
            {
                var (digest, papers) = await services.GetRequiredService<DigestPreview>().PreviewAsync(who, parse.GetValue(date), ct);
                if (digest is null)
                {
                    context.Out.WriteLine($"{who.Email} would get no digest: no new paper matches the profile.");
                    return ExitCodes.Ok;
                }
                if (parse.GetValue(output) is { } folder)
                {
                    folder.Create();
                    await File.WriteAllTextAsync(Path.Combine(folder.FullName, "digest.html"), digest.Html, ct);
                    await File.WriteAllTextAsync(Path.Combine(folder.FullName, "digest.txt"), $"Subject: {digest.Subject}\n\n{digest.Text}", ct);
                    context.Out.WriteLine($"Wrote {Path.Combine(folder.FullName, "digest.html")} and digest.txt ({papers.Count} papers).");
                }
                else
                {
                    context.Out.WriteLine($"Subject: {digest.Subject}");
                    context.Out.WriteLine();
                    context.Out.Write(digest.Text);
                }
                return ExitCodes.Ok;
            }
            catch (TemplateException ex)
            {
                context.Error.WriteLine(ex.Message);
                return ExitCodes.Failure;
            }
        }
    }
}
