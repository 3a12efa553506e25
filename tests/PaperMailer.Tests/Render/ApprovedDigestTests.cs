using Microsoft.Extensions.Options;
using PaperMailer.Render;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Render;

/// <summary>The default templates' output on fixed data, compared with reviewed files in Render/Approved.</summary>
public class ApprovedDigestTests
{
    private static readonly DigestRenderer Renderer = new(Options.Create(new TemplateOptions { Directory = TestRepository.PathOf("templates") }));

    [Theory]
    [InlineData("sample")]
    [InlineData("hostile")]
    public void Default_templates_render_the_approved_output(string fixture)
    {
        var digest = Renderer.Render(fixture == "sample" ? DigestFixtures.Sample() : DigestFixtures.Hostile());

        ApprovedFile.Verify(($"{fixture}.subject.txt", digest.Subject + "\n"), ($"{fixture}.txt", digest.Text), ($"{fixture}.html", digest.Html));
    }
}
