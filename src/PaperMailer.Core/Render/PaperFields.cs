using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Scriban.Runtime;

namespace PaperMailer.Render;

/// <summary>
/// One paper's fields in a digest's model (<see cref="DigestTemplateModel"/>): the fields this digest gives it over
/// the fields every digest shows alike. Read as one map like any other part of the model; <see cref="TemplateModel"/>
/// turns it into a <see cref="PaperTemplateObject"/> without converting the shared fields again.
/// </summary>
internal sealed class PaperFields(IReadOnlyDictionary<string, object?> own, SharedPaperFields shared) : IReadOnlyDictionary<string, object?>
{
    public IReadOnlyDictionary<string, object?> Own => own;

    public SharedPaperFields Shared => shared;

    public int Count => own.Count + shared.Fields.Count;

    public IEnumerable<string> Keys => own.Keys.Concat(shared.Fields.Keys);

    public IEnumerable<object?> Values => own.Values.Concat(shared.Fields.Values);

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => own.ContainsKey(key) || shared.Fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => own.TryGetValue(key, out value) || shared.Fields.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => own.Concat(shared.Fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The fields of a paper every digest shows alike, with what templates see of them, converted (and cleaned) once.</summary>
internal sealed class SharedPaperFields(IReadOnlyDictionary<string, object?> fields)
{
    public IReadOnlyDictionary<string, object?> Fields { get; } = fields;

    public ScriptObject ForTemplates { get; } = TemplateModel.From(fields);
}
