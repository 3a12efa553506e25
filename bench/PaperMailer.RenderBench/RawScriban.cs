using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;
using PaperMailer.Render;

/// <summary>
/// The ceiling: Scriban rendering the same three digest templates as fast as it can. The model is a ScriptObject
/// built once, every template and partial is parsed once, each render gets a plain TemplateContext over shared
/// built-ins (Scriban's plus PaperMailer's functions, which the templates call): no escaping, no limits, no checks.
/// </summary>
internal sealed class RawScriban
{
    private static readonly string[] Parts = ["digest.subject.sbn", "digest.txt.sbn", "digest.html.sbn"];
    private readonly Dictionary<string, Template> _templates;
    private readonly ScriptObject _builtins = new BuiltinFunctions();
    private readonly ScriptObject _model;
    private readonly FolderLoader _loader;

    public RawScriban(string directory, IReadOnlyDictionary<string, object?> model)
    {
        _templates = Directory.EnumerateFiles(directory, "*.sbn", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .ToDictionary(name => name, name => Template.Parse(File.ReadAllText(Path.Combine(directory, name)), name));
        _builtins.Import(typeof(TemplateFunctions), ScriptMemberImportFlags.Method);
        _model = TemplateModel.From(model);
        _loader = new FolderLoader(directory);
    }

    public int Render()
    {
        var length = 0;
        foreach (var part in Parts)
        {
            var context = new TemplateContext(_builtins) { TemplateLoader = _loader };
            // highlight marks words in HTML as it does in the product: the same work, so the same output but escaping.
            if (part.EndsWith(".html.sbn", StringComparison.Ordinal)) context.Tags[TemplateFunctions.HtmlTag] = true;
            foreach (var (name, template) in _templates) context.CachedTemplates[name] = template;
            context.PushGlobal(_model);
            // The model is read-only (TemplateModel makes it so); the templates' own variables need a scope.
            context.PushGlobal(new ScriptObject());
            length += _templates[part].Render(context).Length;
        }
        return length;
    }

    private sealed class FolderLoader(string directory) : ITemplateLoader
    {
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => File.ReadAllText(Path.Combine(directory, templatePath));

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
    }
}
