using System.Net;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Tests.Web;

/// <summary>"Trending today" on the subscribe and preferences pages.</summary>
public sealed partial class SubscriptionSiteTests
{
    [Fact]
    public async Task Trending_today_alone_is_enough_to_subscribe_and_the_manage_page_can_add_a_profile_to_it()
    {
        var (refusedStatus, refused) = await _site.SubmitAsync("/", "/subscribe", [new("email", "nobody@example.org"), new("hour", "7"), new("timezone", "UTC")]);
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        Assert.Contains("pick at least one topic or keyword, or Trending today", refused);

        var (status, page) = await _site.SubmitAsync("/", "/subscribe", [new("email", "trends@example.org"), new("trending", "on"), new("hour", "7"), new("timezone", "UTC")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Check your inbox", page);
        var pending = (await SubscriberAsync("trends@example.org"))!;
        Assert.True(pending.Profile.Trending);
        Assert.Empty(pending.Profile.Topics);
        Assert.Empty(pending.Profile.Keywords);
        Assert.Contains("\"trending\":true", (await Get<IConsentLog>().ListAsync(pending.Id)).Single().Details);

        await _site.PostAsync(LinkInLatestEmailTo("trends@example.org", "confirm"), []);
        var manage = new Uri(Get<SubscriberLinks>().ManageUrl(pending.Id)).PathAndQuery;
        var (_, form) = await _site.GetAsync(manage);
        Assert.Contains("name=\"trending\" value=\"on\" checked", form);

        await _site.SubmitAsync(manage, manage, [new("trending", "on"), new("topics", "robotics"), new("hour", "7"), new("timezone", "UTC"), new("frequency", "daily")]);
        var both = (await SubscriberAsync("trends@example.org"))!;
        Assert.Equal((true, SubscriberStatus.Active), (both.Profile.Trending, both.Status));
        Assert.Equal(["robotics"], both.Profile.Topics);

        // Unticking it keeps the topic; unticking it with nothing else left is refused.
        await _site.SubmitAsync(manage, manage, [new("topics", "robotics"), new("hour", "7"), new("timezone", "UTC"), new("frequency", "daily")]);
        Assert.False((await SubscriberAsync("trends@example.org"))!.Profile.Trending);
        var (emptyStatus, _) = await _site.SubmitAsync(manage, manage, [new("hour", "7"), new("timezone", "UTC"), new("frequency", "daily")]);
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.Equal(["robotics"], (await SubscriberAsync("trends@example.org"))!.Profile.Topics);
    }
}
