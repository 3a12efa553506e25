namespace PaperMailer.Render;

/// <summary>
/// One thing wrong with a template, where an editor can jump to it: <see cref="File"/> is relative to the templates
/// folder ("partials/html-paper.hbs"), <see cref="Line"/> and <see cref="Column"/> count from 1.
/// </summary>
public sealed record TemplateProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";

    /// <summary>The same problem with the file shown under <paramref name="folder"/> (e.g. "templates").</summary>
    public string ToString(string folder) => $"{Path.Combine(folder, File).Replace('\\', '/')}:{Line}:{Column}: {Message}";
}

/// <summary>Line and column (from 1) of an offset in a template's text.</summary>
internal static class TextPosition
{
    public static (int Line, int Column) Of(string text, int offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return (line, column);
    }
}
