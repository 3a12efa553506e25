using Scriban.Parsing;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// One thing wrong with a template, where an editor can jump to it: <see cref="File"/> is relative to the templates
/// folder ("partials/html-paper.sbn"), <see cref="Line"/> and <see cref="Column"/> count from 1.
/// </summary>
public sealed record TemplateProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";

    /// <summary>The same problem with the file shown under <paramref name="folder"/> (e.g. "templates").</summary>
    public string ToString(string folder) => $"{Path.Combine(folder, File).Replace('\\', '/')}:{Line}:{Column}: {Message}";

    /// <summary>A problem at a Scriban span (lines and columns from 0 there); the span names the file it is in.</summary>
    internal static TemplateProblem At(SourceSpan span, string message) =>
        new(span.FileName ?? "", span.Start.Line + 1, span.Start.Column + 1, message);

    /// <summary>A failed render at the place Scriban stopped, which may be inside an included partial.</summary>
    internal static TemplateProblem From(ScriptRuntimeException error, string situation, TemplateOptions options)
    {
        var message = error switch
        {
            ScriptAbortException => $"took longer than {options.RenderTimeout.TotalSeconds:0.###} s (Templates:RenderTimeout) and was stopped",
            ScriptParserRuntimeException parse => string.Join("; ", parse.ParserMessages.Select(m => m.Message)),
            _ when error.OriginalMessage.Contains("iteration limit", StringComparison.Ordinal) || error.OriginalMessage.Contains("exceeds LoopLimit", StringComparison.Ordinal) =>
                $"more than {options.LoopLimit:N0} loop iterations (Templates:LoopLimit; nested loops count together)",
            _ => error.OriginalMessage.TrimEnd('.'),
        };
        return At(error.Span, $"{message} ({situation})");
    }
}
