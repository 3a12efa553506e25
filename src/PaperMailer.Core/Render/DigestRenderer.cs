using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PaperMailer.Render;

/// <summary>
/// Renders a digest's three parts from <c>digest.subject.sbn</c>, <c>digest.txt.sbn</c> and <c>digest.html.sbn</c>
/// (which include partials from <c>partials/</c>), all from one version of the templates in <see cref="TemplateLibrary"/>.
/// </summary>
public sealed class DigestRenderer(TemplateLibrary library)
{
    /// <summary>A renderer with its own library over <see cref="TemplateOptions.Directory"/> (tools and tests; the service shares one).</summary>
    public DigestRenderer(IOptions<TemplateOptions> options, ILogger<TemplateLibrary>? logger = null) : this(new TemplateLibrary(options, logger))
    {
    }

    public TemplateLibrary Library => library;

    /// <param name="checkFolder">
    /// False for a caller that looked at the folder just before (<see cref="Validate"/>) and renders many digests:
    /// see <see cref="TemplateLibrary.Render(IReadOnlyDictionary{string, object?}, string, bool, string[])"/>.
    /// </param>
    public RenderedDigest Render(DigestContent content, bool checkFolder = true)
    {
        var model = DigestTemplateModel.Build(content, library.Options);
        var parts = library.Render(model, $"the digest for {content.Subscriber.Email} on {content.DigestDate:yyyy-MM-dd}", checkFolder, TemplateProof.DigestFiles);
        return new RenderedDigest(EmailText.SingleLine(parts[0]), EmailText.Newlines(parts[1]), EmailText.Newlines(parts[2]));
    }

    /// <summary>Throws <see cref="TemplateException"/> listing every problem when there are no good templates to render with.</summary>
    public void Validate() => library.Validate();
}
