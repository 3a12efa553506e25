using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Storage;

namespace PaperMailer.Cli.Commands;

internal static class PapersCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, each paper with its arXiv id." };
        var limit = new Option<int?>("--limit") { Description = "Show only the most recently collected N papers." };
        var list = new Command("list", "List stored papers, most recently collected first.") { json, limit };
        list.SetAction((parse, ct) => context.WithServicesAsync(async services =>
        {
            var papers = await services.GetRequiredService<IPaperStore>().ListAsync(parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(papers.Select(p => new
                {
                    id = p.Id, version = p.Version, title = p.Title, authors = p.Authors, @abstract = p.Abstract,
                    categories = p.Categories, primaryCategory = p.PrimaryCategory, publishedAt = p.PublishedAt, revisedAt = p.RevisedAt,
                    source = p.Source, upvotes = p.Upvotes, comments = p.Comments, submittedOnDailyAt = p.SubmittedOnDailyAt,
                    aiSummary = p.AiSummary, aiKeywords = p.AiKeywords, githubRepo = p.GithubRepo, githubStars = p.GithubStars,
                    projectPage = p.ProjectPage, url = p.AbstractLink ?? p.ArxivUrl, pdfUrl = p.PdfLink ?? p.PdfUrl, firstSeenAt = p.FirstSeenAt,
                })));
                return ExitCodes.Ok;
            }
            foreach (var p in papers) context.Out.WriteLine($"{p.Id,-12} {p.FirstSeenAt:yyyy-MM-dd HH:mm}  {p.Title}");
            context.Out.WriteLine($"{papers.Count} papers.");
            return ExitCodes.Ok;
        }));
        return new Command("papers", "Stored papers.") { list };
    }
}
