using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>Control characters and bidirectional overrides in a source's data never reach the store, and so never an email.</summary>
public class PaperTextTests
{
    private sealed class OnePaperSource(Paper paper) : IPaperSource
    {
        public string Name => "test";

        public Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Paper>>([paper]);
    }

    [Fact]
    public async Task Control_characters_and_bidi_overrides_are_removed_when_papers_are_stored()
    {
        using var app = new TestApp(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var paper = new Paper
        {
            Id = "2606.00001",
            Title = "Safe\u202Eexe.gnp\u202C title\u0007 with\u0000 bell\u001B[31m",
            Abstract = "Line one\r\nline two\tand a tab\u2066 isolate\u2069 and C1\u0085.",
            Authors = ["Ada\u200B Lovelace\u202D", "Alan Turing"],
            AiKeywords = ["agents\u0008"],
            Source = "file",
        };

        await app.Get<PaperCollector>().CollectOneAsync(new OnePaperSource(paper), CancellationToken.None);
        var stored = Assert.Single(await app.Get<IPaperStore>().ListAsync());

        Assert.Equal("Safeexe.gnp title with bell[31m", stored.Title);
        Assert.Equal("Line one\nline two\tand a tab isolate and C1.", stored.Abstract);
        // A zero-width space is neither a control character nor an override: it stays.
        Assert.Equal(["Ada\u200B Lovelace", "Alan Turing"], stored.Authors);
        Assert.Equal(["agents"], stored.AiKeywords);
    }
}
