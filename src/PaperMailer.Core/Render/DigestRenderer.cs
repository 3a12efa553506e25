using HandlebarsDotNet;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;

namespace PaperMailer.Render;

/// <summary>
/// Renders digests from the Handlebars templates in <see cref="TemplateOptions.Directory"/>:
/// <c>digest.subject.hbs</c>, <c>digest.txt.hbs</c>, <c>digest.html.hbs</c>, and partials from <c>partials/*.hbs</c>
/// (a partial's name is its file name without .hbs). Templates are compiled once and recompiled when a file changes,
/// so operators' edits apply to the next digest without a restart.
/// </summary>
public sealed class DigestRenderer(IOptions<TemplateOptions> options)
{
    public const string SubjectFile = "digest.subject.hbs";
    public const string TextFile = "digest.txt.hbs";
    public const string HtmlFile = "digest.html.hbs";

    private readonly TemplateOptions _options = options.Value;
    private readonly Lock _lock = new();
    private CompiledTemplates? _compiled;

    public string Directory => ContentPaths.Resolve(_options.Directory);

    public RenderedDigest Render(DigestContent content)
    {
        var templates = Load();
        var model = DigestTemplateModel.Build(content, _options);
        return new RenderedDigest(
            SingleLine(Run(templates.Subject, model, SubjectFile)),
            NormalizeNewlines(Run(templates.Text, model, TextFile)),
            NormalizeNewlines(Run(templates.Html, model, HtmlFile)));
    }

    /// <summary>Compiles every template now; throws <see cref="TemplateException"/> naming the first broken file.</summary>
    public void Validate() => Load();

    private CompiledTemplates Load()
    {
        var directory = Directory;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new TemplateException($"Templates:Directory \"{_options.Directory}\" does not exist (looked in {directory}).");
        }
        var fingerprint = Fingerprint(directory);
        lock (_lock)
        {
            if (_compiled is { } current && current.Fingerprint == fingerprint) return current;
            _compiled = Compile(directory, fingerprint);
            return _compiled;
        }
    }

    private static CompiledTemplates Compile(string directory, string fingerprint)
    {
        // HTML escapes every {{value}}; text and subject must not (a title with "&" is "&" in plain text).
        var html = Handlebars.Create(new HandlebarsConfiguration());
        var plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        foreach (var environment in new[] { html, plain })
        {
            TemplateHelpers.Register(environment);
            var partials = Path.Combine(directory, "partials");
            if (!System.IO.Directory.Exists(partials)) continue;
            foreach (var file in System.IO.Directory.GetFiles(partials, "*.hbs").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var source = File.ReadAllText(file);
                CompileOrThrow(() => environment.RegisterTemplate(name, environment == html ? StandalonePartials.Unindent(source) : source), file);
            }
        }
        return new CompiledTemplates(
            fingerprint,
            CompileFile(plain, directory, SubjectFile),
            CompileFile(plain, directory, TextFile),
            CompileFile(html, directory, HtmlFile, StandalonePartials.Unindent));
    }

    private static HandlebarsTemplate<object, object> CompileFile(IHandlebars environment, string directory, string name, Func<string, string>? prepare = null)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path)) throw new TemplateException($"Template {path} is missing.");
        HandlebarsTemplate<object, object>? template = null;
        var source = File.ReadAllText(path);
        CompileOrThrow(() => template = environment.Compile(prepare is null ? source : prepare(source)), path);
        return template!;
    }

    private static void CompileOrThrow(Action compile, string path)
    {
        try
        {
            compile();
        }
        catch (HandlebarsException ex)
        {
            throw new TemplateException($"Template {path} does not compile: {ex.Message.Trim()}", ex);
        }
    }

    private static string Run(HandlebarsTemplate<object, object> template, object model, string name)
    {
        try
        {
            return template(model);
        }
        catch (HandlebarsException ex)
        {
            throw new TemplateException($"Template {name} failed to render: {ex.Message.Trim()}", ex);
        }
    }

    private static string Fingerprint(string directory) =>
        string.Join('|', System.IO.Directory.EnumerateFiles(directory, "*.hbs", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => { var info = new FileInfo(f); return $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"; }));

    /// <summary>A subject is one header line: a newline from a template or a paper title must never start a new header.</summary>
    private static string SingleLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private sealed record CompiledTemplates(
        string Fingerprint,
        HandlebarsTemplate<object, object> Subject,
        HandlebarsTemplate<object, object> Text,
        HandlebarsTemplate<object, object> Html);
}
