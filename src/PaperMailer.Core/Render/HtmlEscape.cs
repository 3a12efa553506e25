using System.Text;

namespace PaperMailer.Render;

/// <summary>
/// The one escaping HTML templates apply to every value: the five characters that can end text or an attribute
/// (&amp; &lt; &gt; " ') plus ` and =, which some parsers treat as attribute syntax in unquoted attributes.
/// </summary>
public static class HtmlEscape
{
    public static string Text(string text)
    {
        var first = text.AsSpan().IndexOfAny("&<>\"'`=");
        if (first < 0) return text;
        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#x27;"); break;
                case '`': escaped.Append("&#x60;"); break;
                case '=': escaped.Append("&#x3D;"); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }
}
