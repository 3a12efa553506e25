using System.Security.Cryptography;
using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// Every template of one folder (*.sbn, any depth), read and parsed once; includes are served from here. A set
/// only goes into use after <see cref="TemplateProof"/> has rendered every sample with it.
/// </summary>
internal sealed class TemplateSet
{
    private readonly IReadOnlyDictionary<string, (string Source, Template Parsed)> _templates;

    private TemplateSet(IReadOnlyDictionary<string, (string, Template)> templates, string version)
    {
        _templates = templates;
        Version = version;
        Loader = new TemplateFolderLoader(this);
    }

    /// <summary>A short hash of every file's name and content: changes exactly when what the templates say changes.</summary>
    public string Version { get; }

    public TemplateFolderLoader Loader { get; }

    public bool Contains(string relativePath) => _templates.ContainsKey(relativePath);

    public IEnumerable<string> Paths => _templates.Keys;

    public string Source(string relativePath) => _templates[relativePath].Source;

    public Template Parsed(string relativePath) =>
        _templates.TryGetValue(relativePath, out var entry) ? entry.Parsed : throw new TemplateException($"Template {relativePath} is missing.");

    /// <summary>Reads and parses the folder; a set comes back only when every file parses and none is left from Handlebars.</summary>
    public static (TemplateSet? Templates, IReadOnlyList<TemplateProblem> Problems) Read(string directory)
    {
        var handlebars = System.IO.Directory.EnumerateFiles(directory, "*.hbs", SearchOption.AllDirectories).Select(f => Relative(directory, f)).Order(StringComparer.Ordinal).ToList();
        if (handlebars.Count > 0) return (null, [HandlebarsLeftOver(handlebars)]);

        var problems = new List<TemplateProblem>();
        var templates = new Dictionary<string, (string, Template)>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.sbn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Relative(directory, file);
            var source = File.ReadAllText(file);
            var parsed = Template.Parse(source, name);
            if (parsed.HasErrors) problems.AddRange(parsed.Messages.Where(m => m.Type == ParserMessageType.Error).Select(m => TemplateProblem.At(m.Span, m.Message)));
            else templates[name] = (source, parsed);
        }
        foreach (var required in TemplateProof.RequiredFiles.Where(f => !templates.ContainsKey(f) && !problems.Any(p => p.File == f)))
        {
            problems.Add(new TemplateProblem(required, 1, 1, "the file is missing; PaperMailer needs it"));
        }
        return problems.Count > 0 ? (null, problems) : (new TemplateSet(templates, VersionOf(templates)), []);
    }

    /// <summary>Since Scriban replaced Handlebars, an .hbs file means templates from before: say so once, plainly.</summary>
    private static TemplateProblem HandlebarsLeftOver(IReadOnlyList<string> files) => new(files[0], 1, 1,
        $"PaperMailer's templates are now Scriban templates (*.sbn); Handlebars templates (*.hbs) are no longer read. " +
        $"Found {files.Count} .hbs file{(files.Count == 1 ? "" : "s")} ({string.Join(", ", files.Take(5))}{(files.Count > 5 ? ", …" : "")}). " +
        "Rewrite your changes into the .sbn files that ship with PaperMailer (templates/README.md, section \"Moving from Handlebars\", " +
        "shows each Handlebars construct in Scriban), then delete the .hbs files.");

    private static string Relative(string directory, string file) => Path.GetRelativePath(directory, file).Replace('\\', '/');

    private static string VersionOf(IReadOnlyDictionary<string, (string Source, Template)> templates)
    {
        var all = string.Join("\0", templates.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "\0" + t.Value.Source));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all)))[..12];
    }
}
