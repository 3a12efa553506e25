using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// Resolves <c>include 'partials/html-paper.sbn'</c> for every template. Names are paths relative to the templates
/// folder, written with "/"; an absolute path, "..", "." or a name that is not a template of the folder is an error at
/// the include. The text comes from the checked set in use, never from disk, so a render sees one version.
/// </summary>
internal sealed class TemplateFolderLoader(TemplateSet templates) : ITemplateLoader
{
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        if (Path.IsPathRooted(templateName) || templateName.Contains('\\') || templateName.Contains(':')
            || !IsRelativePath(templateName))
        {
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}': name a template inside the templates folder by its relative path, such as 'partials/html-paper.sbn'");
        }
        if (!templates.Contains(templateName))
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}': there is no such template in the templates folder");
        return templateName;
    }

    /// <summary>Every "/"-separated part names something: none empty, "." or "..". Checked at every include, so without splitting.</summary>
    private static bool IsRelativePath(string name)
    {
        foreach (var range in name.AsSpan().Split('/'))
        {
            if (name.AsSpan(range) is "" or "." or "..") return false;
        }
        return true;
    }

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => templates.Source(templatePath);

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
}
