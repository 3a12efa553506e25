namespace PaperMailer.Render;

/// <summary>The three parts of a digest email as the templates produced them.</summary>
public sealed record RenderedDigest(string Subject, string Text, string Html);

/// <summary>A template that cannot be loaded or rendered; the message names the file.</summary>
public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);
