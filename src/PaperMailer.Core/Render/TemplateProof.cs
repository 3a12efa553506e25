using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// What a set of templates must do before it is used: render every template PaperMailer uses with every sample
/// model (<see cref="TemplateSamples"/>) under the same strict rules and limits as real renders. A misspelled
/// variable, a function given the wrong kind of value or a runaway loop fails here, with the file, line and column
/// where it stopped, rather than in someone's inbox.
/// </summary>
internal static class TemplateProof
{
    public const string DigestSubject = "digest.subject.sbn";
    public const string DigestText = "digest.txt.sbn";
    public const string DigestHtml = "digest.html.sbn";
    public const string ConfirmSubject = "confirm.subject.sbn";
    public const string ConfirmText = "confirm.txt.sbn";
    public const string ConfirmHtml = "confirm.html.sbn";

    public static readonly string[] DigestFiles = [DigestSubject, DigestText, DigestHtml];
    public static readonly string[] ConfirmationFiles = [ConfirmSubject, ConfirmText, ConfirmHtml];

    /// <summary>Every template PaperMailer renders by name (partials are proven through them).</summary>
    public static IEnumerable<string> RequiredFiles =>
        DigestFiles.Concat(ConfirmationFiles).Concat(TemplateSamples.Pages.Select(p => p.File)).Distinct();

    public static IReadOnlyList<TemplateProblem> Run(TemplateLibrary library, TemplateSet set)
    {
        var problems = new List<TemplateProblem>();
        foreach (var (files, samples) in new[]
        {
            (DigestFiles, TemplateSamples.Digests(library.Options)),
            (ConfirmationFiles, TemplateSamples.Confirmations(library.Options)),
        })
        {
            foreach (var file in files) problems.AddRange(FirstFailure(library, set, file, samples));
        }
        foreach (var page in TemplateSamples.Pages.GroupBy(p => p.File))
        {
            problems.AddRange(FirstFailure(library, set, page.Key, page.Select(p => (p.Name, p.Model(library.Options))).ToList()));
        }
        // A broken partial fails every template that includes it: report each place once.
        return problems.DistinctBy(p => (p.File, p.Line, p.Column)).ToList();
    }

    private static IEnumerable<TemplateProblem> FirstFailure(TemplateLibrary library, TemplateSet set, string file,
        IReadOnlyList<(string Name, IReadOnlyDictionary<string, object?> Model)> samples)
    {
        foreach (var (name, model) in samples)
        {
            try
            {
                library.Render(set, model, [file]);
            }
            catch (ScriptRuntimeException error)
            {
                return [TemplateProblem.From(error, $"rendering {file} with {name}", library.Options)];
            }
        }
        return [];
    }
}
