using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperMailer.Render;

namespace PaperMailer.Cli.Commands;

internal static class TemplatesCommand
{
    public static Command Create(CliContext context)
    {
        var check = new Command("check", "Check every template as loading does (syntax, helpers, partials, a render of sample data); prints file:line:column: message per problem.");
        check.SetAction((parse, ct) => context.WithServicesAsync(services =>
        {
            var renderer = services.GetRequiredService<DigestRenderer>();
            var folder = services.GetRequiredService<IOptions<TemplateOptions>>().Value.Directory;
            IReadOnlyList<TemplateProblem> problems;
            try
            {
                problems = [.. renderer.Check(), .. services.GetRequiredService<PageTemplates>().Check()];
            }
            catch (TemplateException ex)
            {
                context.Error.WriteLine(ex.Message);
                return Task.FromResult(ExitCodes.Failure);
            }
            foreach (var problem in problems) context.Error.WriteLine(problem.ToString(folder));
            if (problems.Count > 0)
            {
                context.Error.WriteLine($"{problems.Count} problem{(problems.Count == 1 ? "" : "s")} in {folder}: these templates would be rejected and the last good version kept.");
                return Task.FromResult(ExitCodes.Failure);
            }
            context.Out.WriteLine($"Templates in {folder} are fine: the digest templates compile and render the sample digest; the site pages and confirmation email compile.");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return new Command("templates", "Work with the templates (digest, site pages, confirmation email).") { check };
    }
}
