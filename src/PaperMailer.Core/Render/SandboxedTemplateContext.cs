using System.Collections;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// One render of an operator's template, made safe by default:
/// <list type="bullet">
/// <item>In HTML mode every value written is HTML-escaped exactly once; <see cref="TrustedHtml"/> (include, highlight,
/// raw, html.escape) and captured template output are written as they are. The template's own text is never
/// escaped (Scriban writes it through a different, non-virtual path).</item>
/// <item>Handlebars-like truthiness: "", 0, null and empty lists are false.</item>
/// <item>Strict: an unknown variable or member is an error, not an empty field; .NET members are never visible.</item>
/// <item>Limits: loop iterations, recursion, output size (an error, never a silent cut), time, and memory.</item>
/// <item>Includes come parsed from the checked <see cref="TemplateSet"/>, never from disk.</item>
/// </list>
/// </summary>
internal sealed class SandboxedTemplateContext : TemplateContext
{
    private readonly TemplateSet _templates;
    private readonly TemplateOptions _options;
    private readonly int _builtinGlobals;
    private readonly int _maxOutputCharacters;
    private readonly long _maxAllocatedBytes;
    private readonly int _maxMegabytes;
    private readonly LimitedOutput _output;
    private long _allocatedAtStart;

    /// <summary>A context for the templates of <paramref name="templates"/>; each render starts with <see cref="Begin"/>.</summary>
    public SandboxedTemplateContext(TemplateSet templates, TemplateOptions options)
        : base(TemplateBuiltins.Shared)
    {
        _templates = templates;
        _options = options;
        _maxOutputCharacters = options.MaxOutputCharacters;
        _maxMegabytes = options.MaxRenderMemoryMegabytes;
        _maxAllocatedBytes = options.MaxRenderMemoryMegabytes * 1024L * 1024L;
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;
        EnableRelaxedTargetAccess = false;
        EnableRelaxedFunctionAccess = false;
        EnableRelaxedIndexerAccess = false;
        MemberFilter = _ => false;
        LoopLimit = options.LoopLimit;
        RecursiveLimit = options.RecursionLimit;
        // Scriban's own string guards (padding, joining, repeating) stay on, far enough above our output limit
        // that its silent cut of the output never comes first: LimitedOutput reports an overlong output instead.
        LimitToString = (int)Math.Min(int.MaxValue, 4L * options.MaxOutputCharacters);
        RegexTimeOut = options.RenderTimeout;
        NewLine = "\n";
        // Indentation is the templates' to decide (wrap takes an indent): Scriban's automatic indentation would add to it.
        AutoIndent = false;
        TemplateLoader = templates.Loader;
        _builtinGlobals = GlobalCount;
        _output = new LimitedOutput(this, _maxOutputCharacters);
    }

    /// <summary>Whether this context renders <paramref name="templates"/> under <paramref name="options"/> (and so may be reused for them).</summary>
    public bool Renders(TemplateSet templates, TemplateOptions options) => ReferenceEquals(_templates, templates) && ReferenceEquals(_options, options);

    /// <summary>True for HTML templates (*.html.sbn, web/): values are escaped.</summary>
    public bool Html { get; private set; }

    /// <summary>
    /// Starts one render with nothing left of the one before (outputs, variables, the output count Scriban keeps):
    /// the parts of one email share a context, because setting one up costs more than rendering a subject line.
    /// </summary>
    public void Begin(bool html, CancellationToken timeout)
    {
        Reset();
        // The model and scope of the render before go, whatever Reset keeps: a render sees only its own.
        while (GlobalCount > _builtinGlobals) PopGlobal();
        Html = html;
        if (html) Tags[TemplateFunctions.HtmlTag] = true;
        else Tags.Remove(TemplateFunctions.HtmlTag);
        CancellationToken = timeout;
        _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        _output.Clear();
        PushOutput(_output);
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        // A captured block written out (the layout's {{ body }}): copied from the capture's buffer into the output
        // as it is, instead of first into a string of its own (a whole HTML part, each digest).
        if (textAsObject is StringBuilderOutput captured && CurrentIndent is null && ReferenceEquals(Output, _output))
        {
            _output.Append(captured.Builder);
            return this;
        }
        var text = Printable(textAsObject);
        if (text is not null) Write(text);
        return this;
    }

    public override ValueTask<TemplateContext> WriteAsync(SourceSpan span, object? textAsObject)
    {
        var text = Printable(textAsObject);
        return text is null ? ValueTask.FromResult<TemplateContext>(this) : WriteAsync(text);
    }

    private string? Printable(object? value) => value switch
    {
        null => null,
        TrustedHtml html => html.Html,
        IScriptOutput captured => captured.ToString(),
        _ when Html => ObjectToString(value) is { } text ? HtmlEscape.Text(text) : null,
        _ => ObjectToString(value),
    };

    public override bool ToBool(SourceSpan span, object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        int i => i != 0,
        long l => l != 0,
        double d => d != 0,
        ICollection list => list.Count > 0,
        _ => base.ToBool(span, value),
    };

    protected override bool OnStepLoop(ScriptLoopStatementBase loop)
    {
        if (GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart > _maxAllocatedBytes)
        {
            throw new ScriptRuntimeException(loop.Span,
                $"the render allocated more than {_maxMegabytes} MB (Templates:MaxRenderMemoryMegabytes); a loop probably builds ever larger values");
        }
        return true;
    }

    /// <summary>
    /// Renders the partial <paramref name="templateName"/> into the current output, as Scriban's include does (its own
    /// local scope with its arguments in <c>$</c>, the recursion limit, positions in its own file) except that its text
    /// is not gathered into an output of its own first.
    /// </summary>
    public void IncludeInPlace(string? templateName, ScriptArray arguments, ScriptFunctionCall call)
    {
        var path = GetTemplatePathFromName(templateName, call);
        if (path is null) return;
        var template = GetOrCreateTemplate(path, call);
        EnterRecursive(call);
        var indent = CurrentIndent;
        CurrentIndent = null;
        PushLocal();
        PushSourceFile(path);
        try
        {
            SetValue(ScriptVariable.Arguments, arguments, true, true);
            if (template.Page is { } page && Evaluate(page) is { } result) Write(page.Span, result);
        }
        finally
        {
            PopSourceFile();
            PopLocal();
            CurrentIndent = indent;
            ExitRecursive(call);
        }
    }

    protected override Template CreateTemplate(string templatePath, ScriptNode? callerContext) => _templates.Parsed(templatePath);
}
