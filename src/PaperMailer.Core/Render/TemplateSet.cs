using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace PaperMailer.Render;

/// <summary>
/// The templates of one folder, compiled and proven: every file passes <see cref="TemplateSyntax"/>, compiles, and
/// renders <see cref="SampleDigest"/> without error. Anything less is returned as problems, never as templates.
/// </summary>
internal sealed partial class TemplateSet
{
    public const string SubjectFile = "digest.subject.hbs";
    public const string TextFile = "digest.txt.hbs";
    public const string HtmlFile = "digest.html.hbs";
    private const string PartialsFolder = "partials";

    private TemplateSet(string version, HandlebarsTemplate<object, object> subject, HandlebarsTemplate<object, object> text, HandlebarsTemplate<object, object> html)
    {
        Version = version;
        Subject = subject;
        Text = text;
        Html = html;
    }

    /// <summary>A short hash of every file's content: changes exactly when what the templates say changes.</summary>
    public string Version { get; }
    public HandlebarsTemplate<object, object> Subject { get; }
    public HandlebarsTemplate<object, object> Text { get; }
    public HandlebarsTemplate<object, object> Html { get; }

    public static (TemplateSet? Templates, IReadOnlyList<TemplateProblem> Problems) Load(string directory, TemplateOptions options)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<TemplateProblem>();
        foreach (var name in new[] { SubjectFile, TextFile, HtmlFile })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) sources[name] = File.ReadAllText(path);
            else problems.Add(new TemplateProblem(name, 1, 1, "the file is missing; every digest needs it"));
        }
        var partialsPath = Path.Combine(directory, PartialsFolder);
        var partials = System.IO.Directory.Exists(partialsPath)
            ? System.IO.Directory.GetFiles(partialsPath, "*.hbs").Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var file in partials) sources[$"{PartialsFolder}/{Path.GetFileName(file)}"] = File.ReadAllText(file);
        if (problems.Count > 0) return (null, problems);

        var partialNames = partials.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (file, text) in sources) problems.AddRange(TemplateSyntax.Check(file, text, TemplateHelpers.Names, partialNames));
        if (problems.Count > 0) return (null, problems);

        // HTML escapes every {{value}}; text and subject must not (a title with "&" is "&" in plain text).
        var html = Handlebars.Create(new HandlebarsConfiguration());
        var plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        TemplateHelpers.Register(html, html: true);
        TemplateHelpers.Register(plain, html: false);
        HandlebarsTemplate<object, object>? subject = null, textTemplate = null, htmlTemplate = null;
        foreach (var (file, text) in sources)
        {
            problems.AddRange(Compile(file, text, () =>
            {
                if (file.StartsWith(PartialsFolder + "/", StringComparison.Ordinal))
                {
                    var name = Path.GetFileNameWithoutExtension(file);
                    html.RegisterTemplate(name, StandalonePartials.Unindent(text));
                    plain.RegisterTemplate(name, text);
                }
                else if (file == SubjectFile) subject = plain.Compile(text);
                else if (file == TextFile) textTemplate = plain.Compile(text);
                else htmlTemplate = html.Compile(StandalonePartials.Unindent(text));
            }));
        }
        if (problems.Count > 0) return (null, problems);

        var set = new TemplateSet(VersionOf(sources), subject!, textTemplate!, htmlTemplate!);
        var model = DigestTemplateModel.Build(SampleDigest.Content(), options);
        foreach (var (file, template) in new[] { (SubjectFile, set.Subject), (TextFile, set.Text), (HtmlFile, set.Html) })
        {
            try
            {
                template(model);
            }
            catch (Exception ex)
            {
                problems.Add(RenderProblem(file, ex, sources));
            }
        }
        return problems.Count > 0 ? (null, problems) : (set, []);
    }

    private static IEnumerable<TemplateProblem> Compile(string file, string text, Action compile)
    {
        try
        {
            compile();
            return [];
        }
        catch (Exception ex) when (ex is HandlebarsException or InvalidOperationException)
        {
            // The parser says where it stopped ("Occured at: line:column", both from 0); the compiler says nothing.
            var message = ex.Message.Trim();
            var at = ParserPosition().Match(message);
            var (line, column) = at.Success ? (int.Parse(at.Groups[1].Value) + 1, int.Parse(at.Groups[2].Value) + 1) : (1, 1);
            var text1 = ParserPosition().Replace(message, "").Trim();
            return [new TemplateProblem(file, line, column, $"does not compile: {text1}")];
        }
    }

    /// <summary>
    /// Handlebars reports render failures without a position; a failing helper is located at its first use in the
    /// file or one of its partials, anything else at the start of the file.
    /// </summary>
    private static TemplateProblem RenderProblem(string file, Exception ex, IReadOnlyDictionary<string, string> sources)
    {
        var helper = ex as TemplateHelperException ?? ex.InnerException as TemplateHelperException;
        var message = $"fails to render the sample digest: {(helper ?? ex).Message.Trim()}";
        if (helper is not null)
        {
            var call = new Regex(@"\{\{~?\s*[#]?" + Regex.Escape(helper.Helper) + @"\s|\(\s*" + Regex.Escape(helper.Helper) + @"\s");
            foreach (var candidate in sources.Keys.OrderBy(k => k == file ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal))
            {
                if (call.Match(sources[candidate]) is { Success: true } use)
                {
                    var (line, column) = TextPosition.Of(sources[candidate], use.Index);
                    return new TemplateProblem(candidate, line, column, message + (candidate == file ? "" : $" (while rendering {file})"));
                }
            }
        }
        return new TemplateProblem(file, 1, 1, message);
    }

    private static string VersionOf(IReadOnlyDictionary<string, string> sources)
    {
        var all = string.Join("\0", sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "\0" + s.Value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all)))[..12];
    }

    [GeneratedRegex(@"Occured at:\s*(\d+):(\d+)")]
    private static partial Regex ParserPosition();
}
