using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperMailer.Render;

namespace PaperMailer.Cli.Commands;

internal static class TemplatesCommand
{
    public static Command Create(CliContext context)
    {
        var check = new Command("check",
            "Check every template as loading does (parse, then a strict render of sample digests, both confirmation emails and every site page); prints file:line:column: message per problem.");
        check.SetAction((parse, ct) => context.WithServicesAsync(services =>
        {
            var folder = services.GetRequiredService<IOptions<TemplateOptions>>().Value.Directory;
            IReadOnlyList<TemplateProblem> problems;
            try
            {
                problems = services.GetRequiredService<TemplateLibrary>().Check();
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
            context.Out.WriteLine($"Templates in {folder} are fine: every template parses and renders the sample digests, both confirmation emails and every site page.");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return new Command("templates", "Work with the templates (digest, site pages, confirmation email).") { check };
    }
}
