using System.Collections;
using PaperMailer.Domain;
using Scriban.Runtime;

namespace PaperMailer.Render;

/// <summary>
/// Turns the values code hands to a template into what templates may see: Scriban objects and arrays, text,
/// numbers, booleans and dates, nothing else (no .NET object whose members a template could reach). Text is
/// cleaned on the way: control characters other than tab and newline, and the bidirectional overrides and
/// isolates that can make a title display as something else, are removed. The result is read-only: templates
/// assign their own variables, never into the data.
/// </summary>
public static class TemplateModel
{
    public static ScriptObject From(IReadOnlyDictionary<string, object?> values)
    {
        var model = new ScriptObject(values.Count);
        foreach (var (key, value) in values) model.Add(key, Value(value));
        model.IsReadOnly = true;
        return model;
    }

    private static object? Value(object? value) => value switch
    {
        null => null,
        string text => SafeText.Clean(text),
        bool or int or long or double or DateTime => value,
        // A digest's paper: only this digest's fields are converted; the shared ones were, once (DigestTemplateModel).
        PaperFields paper => new PaperTemplateObject(From(paper.Own), paper.Shared.ForTemplates),
        IReadOnlyDictionary<string, object?> map => From(map),
        IEnumerable list => Array(list),
        _ => throw new ArgumentException($"Templates see only text, numbers, booleans, dates, lists and maps, not {value.GetType().Name}."),
    };

    private static ScriptArray Array(IEnumerable list)
    {
        var array = new ScriptArray();
        foreach (var item in list) array.Add(Value(item));
        array.IsReadOnly = true;
        return array;
    }
}
