using Scriban;
using Scriban.Functions;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// What every template can call: Scriban's built-ins without the few that could escape the sandbox, plus
/// <see cref="TemplateFunctions"/>. Built once and frozen, so a template cannot redefine a function for others.
/// </summary>
internal static class TemplateBuiltins
{
    public static ScriptObject Shared { get; } = Build();

    private static ScriptObject Build()
    {
        var builtins = new BuiltinFunctions();
        // include_join renders several templates outside our include (its output would not be trusted HTML);
        // eval and eval_template turn text, possibly from paper data, into template code.
        builtins.Remove("include_join");
        var objects = (ScriptObject)builtins["object"]!;
        objects.Remove("eval");
        objects.Remove("eval_template");
        builtins.SetValue("include", new TrustedInclude(), readOnly: true);
        // html.escape returns trusted HTML, so "{{ x | html.escape }}" is escaped once, not twice.
        var html = (ScriptObject)builtins["html"]!;
        html.Remove("escape");
        html.Import("escape", new Func<string?, TrustedHtml>(text => new TrustedHtml(HtmlEscape.Text(text ?? ""))));
        builtins.Import(typeof(TemplateFunctions), ScriptMemberImportFlags.Method);
        foreach (var value in builtins.Values)
        {
            if (value is ScriptObject functions) functions.IsReadOnly = true;
        }
        builtins.IsReadOnly = true;
        return builtins;
    }

    /// <summary>
    /// Scriban's include, its result marked as trusted HTML: the partial escaped its own values. An include that is a
    /// statement of its own (<c>{{ include 'partials/html-paper.sbn' }}</c>) writes the partial straight into the
    /// caller's output: Scriban renders a partial into an output of its own and returns the text, which the caller
    /// then copies into its output — for a digest's papers and its layout, the HTML was built and copied several times
    /// over, most of a digest run's allocation. An include whose value is used (assigned, piped) returns the text.
    /// </summary>
    private sealed class TrustedInclude : IScriptCustomFunction
    {
        private readonly IncludeFunction _include = new();

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            if (context is SandboxedTemplateContext sandboxed && context.EnableOutput && arguments.Count > 0
                && callerContext is ScriptFunctionCall { Parent: ScriptExpressionStatement statement } call && ReferenceEquals(statement.Expression, call))
            {
                sandboxed.IncludeInPlace(context.ObjectToString(arguments[0]), arguments, call);
                return null;
            }
            return _include.Invoke(context, callerContext, arguments, blockStatement) is string html ? new TrustedHtml(html) : null;
        }

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            ValueTask.FromResult(Invoke(context, callerContext, arguments, blockStatement));

        public int RequiredParameterCount => _include.RequiredParameterCount;

        public int ParameterCount => _include.ParameterCount;

        public ScriptVarParamKind VarParamKind => _include.VarParamKind;

        public Type ReturnType => typeof(TrustedHtml);

        public ScriptParameterInfo GetParameterInfo(int index) => _include.GetParameterInfo(index);

        public int GetParameterIndexByName(string name) => _include.GetParameterIndexByName(name);
    }
}
