using System.Text;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PaperMailer.Render;

/// <summary>
/// Where a template's output goes: it stops the render with an error at the first character past the limit,
/// where Scriban's own limit (LimitToString) would silently cut the output and carry on.
/// </summary>
internal sealed class LimitedOutput(TemplateContext context, int maxCharacters) : IScriptOutput
{
    /// <summary>Beyond this a render's buffer is not kept for the next one: an unusually long render should not pin its memory.</summary>
    private const int MaxKeptCharacters = 256 * 1024;

    private StringBuilder _text = new(4 * 1024);

    /// <summary>
    /// Empties the output for the next render, keeping its buffer: a context renders a digest run's parts one after
    /// another, and growing a new buffer to a digest's size for each was a good part of what rendering allocated.
    /// </summary>
    public void Clear()
    {
        if (_text.Capacity > MaxKeptCharacters) _text = new StringBuilder(4 * 1024);
        else _text.Clear();
    }

    public void Write(string text, int offset, int count)
    {
        Reserve(count);
        _text.Append(text, offset, count);
    }

    private void Reserve(int count)
    {
        if (_text.Length + count > maxCharacters)
        {
            throw new ScriptRuntimeException(context.CurrentSpan,
                $"the output is longer than {maxCharacters:N0} characters (Templates:MaxOutputCharacters); a loop probably runs far more often than intended");
        }
    }

    /// <summary>Appends what a <c>capture</c> gathered, chunk by chunk, without first making it one string.</summary>
    public void Append(StringBuilder captured)
    {
        Reserve(captured.Length);
        _text.Append(captured);
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => _text.ToString();
}
