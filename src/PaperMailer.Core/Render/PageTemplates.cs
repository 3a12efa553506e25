using System.Collections.Concurrent;
using HandlebarsDotNet;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;

namespace PaperMailer.Render;

/// <summary>
/// Handlebars templates other than the digest: the subscription site's pages (templates/web/*.hbs, with partials in
/// templates/web/partials/) and short notices such as the confirmation email (templates/confirm.*.hbs). Each file is
/// compiled on first use and again when it (or a partial) changes, so operators can restyle pages without a restart.
/// </summary>
public sealed class PageTemplates(IOptions<TemplateOptions> options)
{
    private readonly ConcurrentDictionary<(string Path, bool Html), (string Fingerprint, HandlebarsTemplate<object, object> Template)> _cache = new();

    private string Root => ContentPaths.Resolve(options.Value.Directory);

    /// <summary>Renders a template given by its path under the templates folder, e.g. "web/home.hbs".</summary>
    /// <param name="html">Escape values for HTML (pages, HTML email parts); false for plain text and subjects.</param>
    public string Render(string relativePath, object model, bool html)
    {
        var path = Path.Combine(Root, relativePath);
        if (!File.Exists(path)) throw new TemplateException($"Template {path} is missing.");
        var partials = Path.Combine(Root, "web", "partials");
        var fingerprint = Fingerprint(path, partials);
        var key = (path, html);
        if (!_cache.TryGetValue(key, out var entry) || entry.Fingerprint != fingerprint)
        {
            entry = (fingerprint, Compile(path, partials, html));
            _cache[key] = entry;
        }
        try
        {
            return entry.Template(model);
        }
        catch (HandlebarsException ex)
        {
            throw new TemplateException($"Template {path} failed to render: {ex.Message.Trim()}", inner: ex);
        }
    }

    /// <summary>
    /// Checks every page and notice template (syntax, known helpers and partials, that it compiles) the way the digest
    /// templates are checked; problems come back as file:line:column relative to the templates folder.
    /// </summary>
    public IReadOnlyList<TemplateProblem> Check()
    {
        var root = Root;
        var partialsFolder = Path.Combine(root, "web", "partials");
        var partialFiles = Directory.Exists(partialsFolder) ? Directory.GetFiles(partialsFolder, "*.hbs").Order(StringComparer.Ordinal).ToList() : [];
        var partialNames = partialFiles.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var pages = Directory.Exists(Path.Combine(root, "web")) ? Directory.GetFiles(Path.Combine(root, "web"), "*.hbs") : [];
        var notices = Directory.GetFiles(root, "confirm.*.hbs");
        var problems = new List<TemplateProblem>();
        foreach (var file in partialFiles.Concat(pages.Order(StringComparer.Ordinal)).Concat(notices.Order(StringComparer.Ordinal)))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var found = TemplateSyntax.Check(relative, File.ReadAllText(file), TemplateHelpers.Names, partialNames);
            problems.AddRange(found);
            if (found.Count > 0 || partialFiles.Contains(file)) continue;
            try
            {
                Compile(file, partialsFolder, html: !file.EndsWith(".txt.hbs", StringComparison.Ordinal) && !file.EndsWith(".subject.hbs", StringComparison.Ordinal));
            }
            catch (TemplateException ex)
            {
                problems.Add(new TemplateProblem(relative, 1, 1, ex.Message));
            }
        }
        return problems;
    }

    private static HandlebarsTemplate<object, object> Compile(string path, string partials, bool html)
    {
        var environment = Handlebars.Create(new HandlebarsConfiguration { NoEscape = !html });
        TemplateHelpers.Register(environment, html);
        try
        {
            if (Directory.Exists(partials))
            {
                foreach (var file in Directory.GetFiles(partials, "*.hbs").Order(StringComparer.Ordinal))
                {
                    environment.RegisterTemplate(Path.GetFileNameWithoutExtension(file), Prepare(File.ReadAllText(file), html));
                }
            }
            return environment.Compile(Prepare(File.ReadAllText(path), html));
        }
        catch (HandlebarsException ex)
        {
            throw new TemplateException($"Template {path} does not compile: {ex.Message.Trim()}", inner: ex);
        }
    }

    private static string Prepare(string source, bool html) => html ? StandalonePartials.Unindent(source) : source;

    private static string Fingerprint(string path, string partials)
    {
        var files = Directory.Exists(partials) ? Directory.GetFiles(partials, "*.hbs").Order(StringComparer.Ordinal).Prepend(path) : [path];
        return TemplateFiles.Fingerprint(files);
    }
}
