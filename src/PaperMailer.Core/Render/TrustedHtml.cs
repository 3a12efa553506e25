namespace PaperMailer.Render;

/// <summary>
/// Markup that HTML templates write as it is: what an <c>include</c> produced, what <c>highlight</c> built (the
/// text escaped, the marks added), and what an operator explicitly passed through <c>raw</c>. Every other value
/// is escaped. Formattable, so a Scriban function given it as text sees the markup, and returns plain text again.
/// </summary>
public sealed class TrustedHtml(string html) : IFormattable
{
    public string Html { get; } = html;

    public override string ToString() => Html;

    public string ToString(string? format, IFormatProvider? formatProvider) => Html;
}
