using System.Collections;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace PaperMailer.Render;

/// <summary>
/// One paper as one digest's templates see it (<c>paper</c> in <c>{{ for paper in papers }}</c>): the fields this
/// digest gives it (position, matched terms, score, excerpt) over the fields every digest shows alike, which a run
/// builds once per paper instead of once per digest (<see cref="DigestTemplateModel"/>). To a template it is one
/// read-only object with both sets of fields: reading, printing, listing and refusing writes behave as for any other
/// part of the model.
/// </summary>
internal sealed class PaperTemplateObject(ScriptObject own, ScriptObject shared) : IScriptObject, IFormattable, IEnumerable
{
    public int Count => own.Count + shared.Count;

    public IEnumerable<string> GetMembers() => own.GetMembers().Concat(shared.GetMembers());

    public bool Contains(string member) => own.Contains(member) || shared.Contains(member);

    public bool IsReadOnly
    {
        get => true;
        set { }
    }

    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value) =>
        own.TryGetValue(context, span, member, out value) || shared.TryGetValue(context, span, member, out value);

    // Writes go to this digest's read-only part, which refuses them as the rest of the model does.
    public bool CanWrite(string member) => own.CanWrite(member);

    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly) =>
        own.TrySetValue(context, span, member, value, readOnly);

    public bool Remove(string member) => own.Remove(member);

    public void SetReadOnly(string member, bool readOnly) => own.SetReadOnly(member, readOnly);

    public IScriptObject Clone(bool deep) => Merged(deep);

    public string ToString(string? format, IFormatProvider? formatProvider) => Merged(deep: false).ToString(format, formatProvider);

    public override string ToString() => ToString(null, null);

    public IEnumerator GetEnumerator() => ((IEnumerable)Merged(deep: false)).GetEnumerator();

    /// <summary>Both sets of fields as one plain object (for the rare template that copies, prints or lists a paper).</summary>
    private ScriptObject Merged(bool deep)
    {
        var merged = new ScriptObject(Count);
        foreach (var part in new[] { (ScriptObject)own.Clone(deep), (ScriptObject)shared.Clone(deep) })
        {
            foreach (var member in part.GetMembers()) merged.SetValue(member, part[member], readOnly: false);
        }
        merged.IsReadOnly = true;
        return merged;
    }
}
