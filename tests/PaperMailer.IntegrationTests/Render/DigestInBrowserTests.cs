using Microsoft.Extensions.Options;
using PaperMailer.Render;
using PaperMailer.Testing;
using Xunit.Abstractions;

namespace PaperMailer.IntegrationTests.Render;

/// <summary>
/// The default digest as headless Chromium lays it out at a desktop client's 600px and a phone's 375px. Screenshots
/// are kept in the test output folder (browser-screenshots/) for a person to look at.
/// </summary>
[RunsForAbout(seconds: 30)]
public class DigestInBrowserTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    [ChromiumFact]
    [InlineData("sample", 700)]
    [InlineData("sample", 600)]
    [InlineData("sample", 375)]
    [InlineData("hostile", 600)]
    [InlineData("hostile", 375)]
    public async Task The_default_digest_fits_the_screen_without_overflow(string fixture, int width)
    {
        var templates = Path.Combine(RepositoryRoot(), "templates");
        var renderer = new DigestRenderer(Options.Create(new TemplateOptions { Directory = templates }));
        var html = renderer.Render(fixture == "sample" ? DigestFixtures.Sample() : DigestFixtures.Hostile()).Html;
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        var screenshot = Path.Combine(folder, $"{fixture}-{width}.png");

        var layout = await chromium.RenderAsync(html, width, screenshot);

        output.WriteLine($"{screenshot}: viewport {layout.Viewport}, document {layout.DocumentWidth}, container {layout.ContainerWidth}, height {layout.Height}");
        Assert.Equal(width, layout.Viewport);
        Assert.True(layout.DocumentWidth <= width, $"The page is {layout.DocumentWidth}px wide in a {width}px window: it scrolls sideways.");
        // The card is 600px where there is room and fills a narrower screen less its 10px margins.
        Assert.Equal(Math.Min(600, width - 20), layout.ContainerWidth);
        Assert.True(layout.Overflowing.Count == 0, "Elements overflow: " + string.Join("; ", layout.Overflowing));
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PaperMailer.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("PaperMailer.sln not found above the test binaries.");
    }
}
