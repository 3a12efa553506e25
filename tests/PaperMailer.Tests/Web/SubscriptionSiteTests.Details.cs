using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;

namespace PaperMailer.Tests.Web;

/// <summary>The confirmation page's promise and the run that keeps it, the undo of an unsubscribe, and the time-zone picker.</summary>
public sealed partial class SubscriptionSiteTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static KeyValuePair<string, string>[] AdaFormAt(int hour) =>
        [.. AdaForm.Where(f => f.Key != "hour"), new("hour", hour.ToString(CultureInfo.InvariantCulture))];

    private Task<DigestRunReport> DueRunAsync() => Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true), CancellationToken.None);

    [Fact]
    public async Task Confirming_after_the_hour_has_begun_promises_tomorrow_at_that_hour_and_the_run_keeps_the_promise()
    {
        // Ada chooses the hour that has already begun in London: today's is gone, so the first digest is tomorrow's.
        var localNow = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), London);
        var hour = localNow.Hour;
        await _site.SubmitAsync("/", "/subscribe", AdaFormAt(hour));

        var (status, page) = await _site.PostAsync(LinkInLatestEmailTo("ada@example.org", "confirm"), []);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("You are subscribed", page);
        Assert.Contains("topics LLM agents, Robotics; keywords tool use, long-term memory; leaving out medical", page);
        var tomorrow = localNow.Date.AddDays(1);
        Assert.Contains($"Your first digest comes {tomorrow.ToString("dddd d MMMM", CultureInfo.InvariantCulture)} at {hour:00}:00 (Europe/London)", page);
        var manage = Regex.Match(WebUtility.HtmlDecode(page), "href=\"(/manage\\?token=[^\"]+)\"");
        Assert.True(manage.Success, "the page links to the manage page");
        var (manageStatus, managePage) = await _site.GetAsync(manage.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, manageStatus);
        Assert.Contains("ada@example.org", managePage);

        // The service's checks today send nothing, however often they run.
        Assert.DoesNotContain((await DueRunAsync()).Lines, l => l.Email == "ada@example.org");
        _clock.Advance(TimeSpan.FromMinutes(50));
        Assert.DoesNotContain((await DueRunAsync()).Lines, l => l.Email == "ada@example.org");

        // Tomorrow, five minutes after the hour: the first digest.
        var due = new DateTimeOffset(tomorrow.AddHours(hour).AddMinutes(5), London.GetUtcOffset(tomorrow.AddHours(hour)));
        _clock.Set(due.AddMinutes(-10));
        Assert.DoesNotContain((await DueRunAsync()).Lines, l => l.Email == "ada@example.org");
        _clock.Set(due);
        Assert.Equal(DeliveryStatus.Sent, (await DueRunAsync()).Lines.Single(l => l.Email == "ada@example.org").Status);
    }

    [Fact]
    public async Task Confirming_before_the_hour_promises_today_at_that_hour()
    {
        var now = _clock.GetUtcNow();
        var ada = new Subscriber { Email = "ada@example.org", TimeZone = "Europe/London", DeliveryHour = 9 };
        var morning = new DateTimeOffset(2026, 12, 3, 7, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), DigestCalendar.FirstDigestAt(ada, morning));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), DigestCalendar.FirstDigestAt(ada, morning.AddHours(1.5)));
        // Spring forward in London: 01:00 does not exist on 29 March 2026; the first instant after the gap is 02:00 BST.
        var night = ada with { DeliveryHour = 1 };
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), DigestCalendar.FirstDigestAt(night, new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero)));

        // On the page: an hour still to come today (the one after now, unless that is tomorrow already).
        var localNow = TimeZoneInfo.ConvertTime(now, London);
        if (localNow.Hour == 23) return;
        await _site.SubmitAsync("/", "/subscribe", AdaFormAt(localNow.Hour + 1));
        var (_, page) = await _site.PostAsync(LinkInLatestEmailTo("ada@example.org", "confirm"), []);
        Assert.Contains($"Your first digest comes today at {localNow.Hour + 1:00}:00 (Europe/London)", page);
    }

    [Fact]
    public async Task Unsubscribing_can_be_undone_with_the_signed_button_on_its_page()
    {
        await _site.PostAsync(await SubscribeAdaAsync(), []);
        var ada = (await SubscriberAsync("ada@example.org"))!;
        var unsubscribe = new Uri(Get<SubscriberLinks>().UnsubscribeUrl(ada.Id)).PathAndQuery;

        var (_, done) = await _site.PostAsync(unsubscribe, [new("confirm", "yes")]);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync("ada@example.org"))!.Status);
        var undo = Regex.Match(WebUtility.HtmlDecode(done), "<form method=\"post\" action=\"(/unsubscribe/undo\\?token=[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(undo);

        var (forgedStatus, _) = await _site.PostAsync(undo.Replace($"resubscribe.{ada.Id}.", $"resubscribe.{ada.Id + 1}.", StringComparison.Ordinal), []);
        Assert.Equal(HttpStatusCode.BadRequest, forgedStatus);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync("ada@example.org"))!.Status);

        var (status, page) = await _site.PostAsync(undo, []);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("You are subscribed again", page);
        var back = (await SubscriberAsync("ada@example.org"))!;
        Assert.Equal(SubscriberStatus.Active, back.Status);
        Assert.Equal(ada.Profile.Topics, back.Profile.Topics);
        Assert.Equal(ada.Profile.Keywords, back.Profile.Keywords);
        Assert.Equal(ada.Profile.Exclusions, back.Profile.Exclusions);
        Assert.Equal((ada.DeliveryHour, ada.TimeZone), (back.DeliveryHour, back.TimeZone));
        Assert.Equal(ConsentKinds.Resubscribed, (await Get<IConsentLog>().ListAsync(ada.Id)).Last().Kind);

        // The button works for a week, not for ever.
        await _site.PostAsync(unsubscribe, [new("confirm", "yes")]);
        _clock.Advance(TimeSpan.FromDays(8));
        var (lateStatus, _) = await _site.PostAsync(undo, []);
        Assert.Equal(HttpStatusCode.BadRequest, lateStatus);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync("ada@example.org"))!.Status);
    }

    [Fact]
    public async Task Weekly_subscribers_choose_their_weekday_on_the_manage_page()
    {
        await _site.PostAsync(await SubscribeAdaAsync(), []);
        var ada = (await SubscriberAsync("ada@example.org"))!;
        var manage = new Uri(Get<SubscriberLinks>().ManageUrl(ada.Id)).PathAndQuery;
        KeyValuePair<string, string>[] Weekly(string day) =>
            [new("topics", "robotics"), new("hour", "7"), new("timezone", "Europe/London"), new("frequency", "weekly"), new("weekday", day)];

        var (status, saved) = await _site.SubmitAsync(manage, manage, Weekly("wednesday"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<option value=\"wednesday\" selected>Wednesday</option>", saved);
        var weekly = (await SubscriberAsync("ada@example.org"))!;
        Assert.Equal((DigestFrequency.Weekly, (DayOfWeek?)DayOfWeek.Wednesday), (weekly.Frequency, weekly.Weekday));
        var (badStatus, bad) = await _site.SubmitAsync(manage, manage, Weekly("Caturday"));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("weekday: choose a day of the week", bad);
        await _site.SubmitAsync(manage, manage, Weekly(""));
        Assert.Null((await SubscriberAsync("ada@example.org"))!.Weekday);
    }

    [Fact]
    public async Task The_time_zone_picker_lists_common_zones_first_and_a_typed_zone_is_checked_on_the_server()
    {
        var (_, home) = await _site.GetAsync("/");
        var listed = Regex.Matches(Regex.Match(home, "<datalist id=\"time-zones\">(.*?)</datalist>", RegexOptions.Singleline).Groups[1].Value, "<option value=\"([^\"]+)\">")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.True(listed.Count > 300, $"{listed.Count} zones listed");
        Assert.Equal("UTC", listed[0]);
        Assert.InRange(listed.IndexOf("Europe/Berlin"), 1, 30);
        Assert.InRange(listed.IndexOf("Asia/Tokyo"), 1, 30);
        Assert.Equal(listed.Count, listed.Distinct().Count());

        var (refusedStatus, refused) = await _site.SubmitAsync("/", "/subscribe", [new("email", "zed@example.org"), new("topics", "robotics"), new("hour", "7"), new("timezone", "Berlin")]);
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        Assert.Contains("\"Berlin\" is not an IANA time zone", WebUtility.HtmlDecode(refused));

        await _site.SubmitAsync("/", "/subscribe", [new("email", "zed@example.org"), new("topics", "robotics"), new("hour", "7"), new("timezone", "europe/berlin")]);
        Assert.Equal("Europe/Berlin", (await SubscriberAsync("zed@example.org"))!.TimeZone);
    }

    [Theory]
    [InlineData("cat:cs.LG, author:\"Sergey Levine\"", "boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic")]
    [InlineData("diffusion, topic:astro", "\"topic:astro\" is not a known topic (known: ")]
    [InlineData("-graph", "the profile has only exclusions, so it can never match a paper; add at least one keyword or topic to look for")]
    public async Task A_profile_that_can_never_match_is_refused_with_the_reason_beside_the_keywords_field(string keywords, string reason)
    {
        var (status, page) = await _site.SubmitAsync("/", "/subscribe",
            [new("email", "never@example.org"), new("keywords", keywords), new("hour", "7"), new("timezone", "UTC")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var beside = Regex.Match(page, "<input type=\"text\" id=\"keywords\"[^>]*>\\s*<div class=\"field-error\" id=\"keywords-error\" role=\"alert\">([^<]*)</div>");
        Assert.True(beside.Success, page);
        Assert.StartsWith(reason, WebUtility.HtmlDecode(beside.Groups[1].Value), StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"keywords-error\"", page);
        Assert.Null(await SubscriberAsync("never@example.org"));
        Assert.Empty(EmailsTo("never@example.org"));
    }

    [Theory]
    [InlineData("cat:cs.LG, author:\"Sergey Levine\"", "boosts (cat: and author:) only raise papers that match a keyword, so this profile can never match a paper; add at least one keyword or topic")]
    [InlineData("diffusion, topic:astro", "\"topic:astro\" is not a known topic (known: ")]
    public async Task The_manage_page_refuses_a_profile_that_can_never_match_and_keeps_the_stored_one(string keywords, string reason)
    {
        await _site.PostAsync(await SubscribeAdaAsync(), []);
        var ada = (await SubscriberAsync("ada@example.org"))!;
        var manage = new Uri(Get<SubscriberLinks>().ManageUrl(ada.Id)).PathAndQuery;

        var (status, page) = await _site.SubmitAsync(manage, manage,
            [new("keywords", keywords), new("hour", "7"), new("timezone", "UTC"), new("frequency", "daily")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var beside = Regex.Match(page, "<div class=\"field-error\" id=\"keywords-error\" role=\"alert\">([^<]*)</div>");
        Assert.True(beside.Success, page);
        Assert.StartsWith(reason, WebUtility.HtmlDecode(beside.Groups[1].Value), StringComparison.Ordinal);
        Assert.Equal(ada.Profile, (await SubscriberAsync("ada@example.org"))!.Profile);
    }
}
