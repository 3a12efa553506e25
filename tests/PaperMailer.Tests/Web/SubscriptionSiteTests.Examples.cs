using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

public sealed partial class SubscriptionSiteTests
{
    [Fact]
    public async Task The_topic_examples_show_a_paper_as_soon_as_it_is_collected_not_minutes_later()
    {
        const string title = "Dexterous Robot Manipulation with Embodied Control in a Drone Simulator";
        var (_, before) = await _site.GetAsync("/");
        Assert.DoesNotContain(title, before);

        _clock.Advance(TimeSpan.FromSeconds(1)); // well inside the examples' ten minutes
        var paper = SamplePapers.Make("2612.00001", title, "A robot learns manipulation and control for embodied agents in a drone simulator.");
        await Get<PaperCollector>().CollectOneAsync(new GivenPapers([paper]), CancellationToken.None);
        var (_, after) = await _site.GetAsync("/");

        Assert.Contains(title, after);
    }

    private sealed class GivenPapers(IReadOnlyList<Paper> papers) : IPaperSource
    {
        public string Name => "given";

        public Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) => Task.FromResult(papers);
    }
}
