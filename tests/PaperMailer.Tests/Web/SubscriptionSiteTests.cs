using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Collect;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>
/// Every endpoint of the subscription site on the real `papermailer run` application (Kestrel on 127.0.0.1, outbox
/// delivery, a manual clock), driven over HTTP with cookies and antiforgery fields as a browser would.
/// </summary>
public sealed partial class SubscriptionSiteTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private RunningService _service = null!;
    private SiteClient _site = null!;

    private static readonly KeyValuePair<string, string>[] AdaForm =
    [
        new("email", "ada@example.org"), new("topics", "llm-agents"), new("topics", "robotics"),
        new("keywords", "tool use, long-term memory"), new("exclude", "medical"), new("hour", "7"), new("timezone", "Europe/London"),
    ];

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync(
            new Dictionary<string, string?> { ["Subscriptions:MaxRequestsPerIpPerHour"] = "8", ["Digest:Lookback"] = "3.00:00:00" },
            services => services.AddSingleton<TimeProvider>(_clock),
            app => app.Services.GetRequiredService<PaperCollector>().CollectOneAsync(new PaperFileSource(SamplePapers.FilePath), CancellationToken.None));
        _site = new SiteClient(_service.Address);
    }

    public async Task DisposeAsync()
    {
        _site.Dispose();
        await _service.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _service.Get<T>();

    private async Task<Subscriber?> SubscriberAsync(string email) => await Get<ISubscriberStore>().GetByEmailAsync(email);

    /// <summary>The outbox, oldest first (files are named by Message-ID, so their names say nothing of order).</summary>
    private string[] Outbox() => Directory.Exists(_service.OutboxDirectory)
        ? Directory.GetFiles(_service.OutboxDirectory, "*.eml").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).ToArray()
        : [];

    /// <summary>Emails to an address, oldest first, with quoted-printable soft breaks and "=3D" undone for searching.</summary>
    private List<string> EmailsTo(string to) => Outbox().Select(File.ReadAllText)
        .Where(text => text.Contains($"To: {to}", StringComparison.Ordinal))
        .Select(text => text.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal))
        .ToList();

    /// <summary>The link of the given kind in the newest email to <paramref name="to"/> that has one, as a path on this site.</summary>
    private string LinkInLatestEmailTo(string to, string kind)
    {
        var pattern = $@"https://papers\.example\.org(/{kind}\?token=[\w.-]+)";
        var unfolded = EmailsTo(to).LastOrDefault(text => Regex.IsMatch(text, pattern)) ?? "";
        var match = Regex.Match(unfolded, pattern);
        Assert.True(match.Success, $"no {kind} link in the email to {to}");
        return match.Groups[1].Value;
    }

    /// <summary>Ada subscribes on the form; returns the confirmation link she is sent.</summary>
    private async Task<string> SubscribeAdaAsync()
    {
        await _site.SubmitAsync("/", "/subscribe", AdaForm);
        return LinkInLatestEmailTo("ada@example.org", "confirm");
    }

    [Fact]
    public async Task The_home_page_lists_topics_with_recent_examples_and_a_form_that_works_without_javascript()
    {
        var (status, page) = await _site.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("LLM agents", page);
        Assert.Contains("WebChallenger: A Reliable and Efficient Generalist Web Agent", page);
        Assert.Contains("<form class=\"card\" method=\"post\" action=\"/subscribe\">", page);
        Assert.Contains("<option value=\"Europe/Berlin\">", page);
        Assert.Contains("name=\"topics\" value=\"llm-agents\"", page);
    }

    [Fact]
    public async Task Subscribing_sends_a_confirmation_and_only_the_link_activates_the_subscription()
    {
        var (status, page) = await _site.SubmitAsync("/", "/subscribe", AdaForm);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Check your inbox", page);
        var pending = (await SubscriberAsync("ada@example.org"))!;
        Assert.Equal(SubscriberStatus.Pending, pending.Status);
        Assert.Equal(["llm-agents", "robotics"], pending.Profile.Topics);
        Assert.Equal(["tool use", "long-term memory"], pending.Profile.Keywords);
        Assert.Equal("Europe/London", pending.TimeZone);
        Assert.Equal(7, pending.DeliveryHour);
        var request = Assert.Single(await Get<IConsentLog>().ListAsync(pending.Id));
        Assert.Equal(ConsentKinds.Requested, request.Kind);
        Assert.Equal("127.0.0.1", request.Ip);
        Assert.Contains(SubscriptionService.AgreementText, request.Details);

        var (confirmStatus, confirmPage) = await _site.PostAsync(LinkInLatestEmailTo("ada@example.org", "confirm"), []);

        Assert.Equal(HttpStatusCode.OK, confirmStatus);
        Assert.Contains("You are subscribed", confirmPage);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("ada@example.org"))!.Status);
        Assert.Equal([ConsentKinds.Requested, ConsentKinds.Confirmed], (await Get<IConsentLog>().ListAsync(pending.Id)).Select(c => c.Kind));
    }

    [Fact]
    public async Task Opening_the_confirmation_link_changes_nothing_until_its_button_is_pressed()
    {
        var confirm = await SubscribeAdaAsync();

        // What a mail scanner does: fetch the link, twice.
        var (status, page) = await _site.GetAsync(confirm);
        await _site.GetAsync(confirm);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("ada@example.org", page);
        var form = Assert.Single(Regex.Matches(page, "<form[^>]*>"));
        Assert.Contains("method=\"post\"", form.Value);
        Assert.Contains($"action=\"{confirm}\"", form.Value);
        Assert.Single(Regex.Matches(page, "<button"));
        var ada = (await SubscriberAsync("ada@example.org"))!;
        Assert.Equal(SubscriberStatus.Pending, ada.Status);
        Assert.Equal([ConsentKinds.Requested], (await Get<IConsentLog>().ListAsync(ada.Id)).Select(c => c.Kind));

        var (pressed, done) = await _site.PostAsync(confirm, []);

        Assert.Equal(HttpStatusCode.OK, pressed);
        Assert.Contains("You are subscribed", done);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("ada@example.org"))!.Status);
    }

    [Fact]
    public async Task A_replayed_confirmation_changes_nothing_and_one_after_unsubscribing_does_not_resubscribe()
    {
        var confirm = await SubscribeAdaAsync();
        await _site.PostAsync(confirm, []);

        foreach (var (againStatus, againPage) in new[] { await _site.GetAsync(confirm), await _site.PostAsync(confirm, []) })
        {
            Assert.Equal(HttpStatusCode.OK, againStatus);
            Assert.Contains("Already confirmed", againPage);
        }

        var ada = (await SubscriberAsync("ada@example.org"))!;
        await _site.PostAsync(new Uri(Get<SubscriberLinks>().UnsubscribeUrl(ada.Id)).PathAndQuery, [new("List-Unsubscribe", "One-Click")]);
        var (replayStatus, _) = await _site.GetAsync(confirm);
        var (replayPostStatus, _) = await _site.PostAsync(confirm, []);

        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal(HttpStatusCode.BadRequest, replayPostStatus);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync("ada@example.org"))!.Status);
    }

    [Fact]
    public async Task An_expired_confirmation_link_is_refused_with_410_and_leaves_the_subscriber_pending()
    {
        var confirm = await SubscribeAdaAsync();

        _clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        foreach (var (status, page) in new[] { await _site.GetAsync(confirm), await _site.PostAsync(confirm, []) })
        {
            Assert.Equal(HttpStatusCode.Gone, status);
            Assert.Contains("This link has expired", page);
        }
        Assert.Equal(SubscriberStatus.Pending, (await SubscriberAsync("ada@example.org"))!.Status);
    }

    [Fact]
    public async Task Forged_or_altered_tokens_get_a_clear_400_page_and_change_nothing()
    {
        var confirm = await SubscribeAdaAsync();
        var ada = (await SubscriberAsync("ada@example.org"))!;
        var forgedConfirm = confirm.Replace($"confirm.{ada.Id}.", $"confirm.{ada.Id + 1}.", StringComparison.Ordinal);
        var manageAsConfirm = confirm.Replace("/confirm?token=confirm.", "/manage?token=manage.", StringComparison.Ordinal);

        var opened = new[] { forgedConfirm, manageAsConfirm, "/confirm?token=garbage", "/manage?token=", "/unsubscribe?token=unsubscribe.1.0.AAAA" };
        var pressed = new[] { forgedConfirm, "/confirm?token=garbage", confirm + "=" };
        foreach (var (status, page) in (await Task.WhenAll(opened.Select(_site.GetAsync))).Concat(await Task.WhenAll(pressed.Select(p => _site.PostAsync(p, [])))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("This link is not valid", page);
        }
        Assert.Equal(SubscriberStatus.Pending, (await SubscriberAsync("ada@example.org"))!.Status);
    }

    [Fact]
    public async Task Subscribing_an_address_that_is_already_subscribed_looks_the_same_and_changes_nothing()
    {
        await _site.PostAsync(await SubscribeAdaAsync(), []);
        var before = (await SubscriberAsync("ada@example.org"))!;

        var (status, page) = await _site.SubmitAsync("/", "/subscribe", [new("email", "ada@example.org"), new("keywords", "knitting"), new("hour", "3"), new("timezone", "UTC")]);
        var (newStatus, newPage) = await _site.SubmitAsync("/", "/subscribe", [new("email", "zoe@example.org"), new("keywords", "knitting"), new("hour", "3"), new("timezone", "UTC")]);

        Assert.Equal(newStatus, status);
        Assert.Equal(newPage.Replace("zoe@example.org", "ada@example.org", StringComparison.Ordinal), page);
        Assert.Equivalent(before, await SubscriberAsync("ada@example.org"), strict: true);
        // The owner of the address learns of the attempt, with their manage link, not a second confirmation.
        var emails = EmailsTo("ada@example.org");
        Assert.Equal(2, emails.Count);
        Assert.Contains("This address is already subscribed", emails[1]);
        Assert.DoesNotContain("/confirm?token=", emails[1]);
        LinkInLatestEmailTo("ada@example.org", "manage");
    }

    [Fact]
    public async Task Bad_input_is_refused_with_reasons_and_never_echoed_unescaped()
    {
        var (status, page) = await _site.SubmitAsync("/", "/subscribe",
            [new("email", "<script>alert(1)</script>"), new("keywords", "\"><img src=x onerror=alert(1)>"), new("hour", "99"), new("timezone", "Mars/Olympus")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("<script>alert(1)</script>", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("is not an hour from 0 to 23", page);
        Assert.Contains("is not an IANA time zone", page);
        Assert.Empty(await Get<ISubscriberStore>().ListAsync());
        Assert.Empty(Outbox());
    }

    [Fact]
    public async Task Too_many_keywords_or_an_overlong_address_are_refused()
    {
        var keywords = string.Join(", ", Enumerable.Range(1, 60).Select(i => $"term{i}"));
        var (status, page) = await _site.SubmitAsync("/", "/subscribe", [new("email", new string('a', 250) + "@example.org"), new("keywords", keywords)]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("longer than 254 characters", page);
        Assert.Contains("more than 50 keywords", page);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_field_is_refused()
    {
        var (status, page) = await _site.PostAsync("/subscribe", AdaForm);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("This form has expired", page);
        Assert.Null(await SubscriberAsync("ada@example.org"));
    }

    [Fact]
    public async Task One_address_gets_at_most_three_emails_a_day_however_often_it_is_submitted()
    {
        for (var i = 0; i < 5; i++)
        {
            var (status, _) = await _site.SubmitAsync("/", "/subscribe", AdaForm);
            Assert.Equal(HttpStatusCode.OK, status);
        }

        Assert.Equal(3, Outbox().Length);
        var ada = (await SubscriberAsync("ada@example.org"))!;
        Assert.Contains("daily email limit reached", (await Get<IConsentLog>().ListAsync(ada.Id)).Last().Details);
    }

    [Fact]
    public async Task One_ip_address_is_limited_per_hour()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 9; i++)
        {
            statuses.Add((await _site.SubmitAsync("/", "/subscribe", [new("email", $"reader{i}@example.org"), new("keywords", "agents")])).Status);
        }

        Assert.All(statuses.Take(8), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[8]);
        Assert.Equal(8, Outbox().Length);
    }

    [Fact]
    public async Task Attempts_that_send_no_email_do_not_use_up_the_limit_of_an_ip_address()
    {
        // A lab behind one address: eleven attempts refused by validation (the limit here is 8 emails an hour)...
        for (var i = 0; i < 11; i++)
        {
            var (status, _) = await _site.SubmitAsync("/", "/subscribe", i % 2 == 0
                ? [new("email", $"reader{i}@"), new("keywords", "agents")]
                : [new("email", $"reader{i}@example.org"), new("keywords", "agents"), new("hour", "99")]);
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }
        // ...and repeats for one address past its own daily limit, which send nothing either.
        for (var i = 0; i < 5; i++) await _site.SubmitAsync("/", "/subscribe", AdaForm);

        var (valid, page) = await _site.SubmitAsync("/", "/subscribe", [new("email", "zoe@example.org"), new("keywords", "agents")]);

        Assert.Equal(HttpStatusCode.OK, valid);
        Assert.Contains("Check your inbox", page);
        Assert.Single(EmailsTo("zoe@example.org"));
        Assert.Equal(4, Outbox().Length);
    }

    [Fact]
    public async Task The_manage_link_changes_preferences_pauses_and_resumes()
    {
        await _site.PostAsync(await SubscribeAdaAsync(), []);
        var ada = (await SubscriberAsync("ada@example.org"))!;
        var manage = new Uri(Get<SubscriberLinks>().ManageUrl(ada.Id)).PathAndQuery;

        var (getStatus, form) = await _site.GetAsync(manage);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Contains("value=\"tool use, long-term memory\"", form);
        Assert.Contains("name=\"timezone\" list=\"time-zones\" value=\"Europe/London\"", form);

        var (saveStatus, saved) = await _site.SubmitAsync(manage, manage,
            [new("topics", "image-generation"), new("keywords", "diffusion"), new("exclude", ""), new("hour", "18"), new("timezone", "Asia/Tokyo"), new("frequency", "weekly")]);
        Assert.Equal(HttpStatusCode.OK, saveStatus);
        Assert.Contains("Saved.", saved);
        var changed = (await SubscriberAsync("ada@example.org"))!;
        Assert.Equal(["image-generation"], changed.Profile.Topics);
        Assert.Equal(["diffusion"], changed.Profile.Keywords);
        Assert.Equal((18, "Asia/Tokyo", DigestFrequency.Weekly, SubscriberStatus.Active), (changed.DeliveryHour, changed.TimeZone, changed.Frequency, changed.Status));

        await _site.SubmitAsync(manage, manage, [new("topics", "image-generation"), new("hour", "18"), new("timezone", "Asia/Tokyo"), new("frequency", "paused")]);
        Assert.Equal(SubscriberStatus.Paused, (await SubscriberAsync("ada@example.org"))!.Status);
        await _site.SubmitAsync(manage, manage, [new("topics", "image-generation"), new("hour", "18"), new("timezone", "Asia/Tokyo"), new("frequency", "daily")]);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync("ada@example.org"))!.Status);
        Assert.Equal(3, (await Get<IConsentLog>().ListAsync(ada.Id)).Count(c => c.Kind == ConsentKinds.PreferencesChanged));
    }

    [Fact]
    public async Task Every_digest_carries_working_manage_and_unsubscribe_links()
    {
        await _site.PostAsync(await SubscribeAdaAsync(), []);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var report = await Get<PaperMailer.Digest.DigestRun>().RunAsync(new PaperMailer.Digest.DigestRunRequest(DueOnly: false), CancellationToken.None);
        Assert.Equal(DeliveryStatus.Sent, report.Lines.Single().Status);

        var manage = LinkInLatestEmailTo("ada@example.org", "manage");
        var unsubscribe = LinkInLatestEmailTo("ada@example.org", "unsubscribe");
        Assert.Equal(HttpStatusCode.OK, (await _site.GetAsync(manage)).Status);
        var (pageStatus, page) = await _site.GetAsync(unsubscribe);
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Single(Regex.Matches(page, "<button"));
        Assert.Equal(HttpStatusCode.OK, (await _site.PostAsync(unsubscribe, [new("confirm", "yes")])).Status);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync("ada@example.org"))!.Status);
        Assert.Contains("unsubscribe button on the web page", (await Get<IConsentLog>().ListAsync((await SubscriberAsync("ada@example.org"))!.Id)).Last().Details);
    }
}
