namespace PaperMailer.Render;

/// <summary>The three parts of a digest email as the templates produced them.</summary>
public sealed record RenderedDigest(string Subject, string Text, string Html);

/// <summary>A template that cannot be loaded or rendered; the message names the file, <see cref="Problems"/> says where.</summary>
public sealed class TemplateException(string message, IReadOnlyList<TemplateProblem>? problems = null, Exception? inner = null) : Exception(message, inner)
{
    public IReadOnlyList<TemplateProblem> Problems { get; } = problems ?? [];
}
