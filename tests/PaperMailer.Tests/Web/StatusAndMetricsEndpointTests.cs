using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Render;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Web;

/// <summary>
/// /healthz, /admin/status and /metrics of the real `papermailer run` application on Kestrel at 127.0.0.1. Not run
/// beside other tests: meters are matched by name, and another test's digest run at the same moment would count too.
/// </summary>
[Collection(nameof(MetricsCollection))]
public sealed class StatusAndMetricsEndpointTests : IAsyncDisposable
{
    private const string Token = "operator-secret-for-tests";
    // Monday 16 November 2026, 10:00 UTC.
    private static readonly DateTimeOffset Morning = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Morning);
    private RunningService? _service;

    private async Task<HttpClient> StartAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Admin:Token"] = Token;
        _service = await RunningService.StartAsync(settings, services => services.AddSingleton<TimeProvider>(_clock));
        var http = new HttpClient { BaseAddress = _service.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_source_that_keeps_failing_makes_healthz_degraded_and_the_status_page_shows_its_last_error()
    {
        // Hugging Face on, at an address nobody answers: the collection at start fails too, and is recorded alike.
        var http = await StartAsync(new() { ["Sources:HuggingFace:Enabled"] = "true", ["Sources:HuggingFace:BaseUrl"] = "http://127.0.0.1:9", ["Sources:HuggingFace:MaxRetries"] = "0" });
        await _service!.Get<ISourceStatusLog>().RecordFailureAsync("hf", Morning, "Hugging Face could not be reached: Connection refused (127.0.0.1:9)");
        var before = await http.GetStringAsync("/healthz");

        _clock.Advance(TimeSpan.FromHours(3));
        var after = await http.GetStringAsync("/healthz");
        var page = await http.GetStringAsync("/admin/status");

        Assert.Equal("Healthy\n", before);
        Assert.StartsWith("Degraded\n- source hf has missed 3 scheduled runs (never succeeded); last error: ", after, StringComparison.Ordinal);
        Assert.Contains("Connection refused", after);
        Assert.Contains("<p class=\"verdict bad\" id=\"verdict\">Degraded</p>", page);
        Assert.Contains("overdue: 3 scheduled runs missed", page);
        Assert.Contains("Connection refused (127.0.0.1:9)", page);
    }

    [Fact]
    public async Task The_status_page_needs_the_operator_and_its_retry_form_needs_the_pages_antiforgery_field()
    {
        var http = await StartAsync();
        using var anonymous = new HttpClient { BaseAddress = _service!.Address };

        var refused = await anonymous.GetAsync("/admin/status");
        var forged = await anonymous.PostAsync("/admin/status/retry-failed", new FormUrlEncodedContent([new("date", "2026-11-16")]));
        var badDate = await http.PostAsync("/admin/status/retry-failed", new FormUrlEncodedContent([new("date", "16/11/2026")]));
        var none = await http.PostAsync("/admin/status/retry-failed", new FormUrlEncodedContent([new("date", "2026-11-16")]));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("date: &quot;16/11/2026&quot; is not a date; give it as yyyy-MM-dd.", await badDate.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Contains("0 failed digests of 2026-11-16 due again", await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_operator_signed_in_in_a_browser_retries_a_dates_failed_digests_from_the_status_page()
    {
        // The browser keeps the session cookie only until its expiry, which it reads against the real clock.
        var now = DateTimeOffset.UtcNow;
        _clock.Set(now);
        await StartAsync();
        var ledger = _service!.Get<IDeliveryLedger>();
        var ann = await _service.Get<ISubscriberStore>().AddAsync(new Subscriber { Email = "ann@example.org", Profile = new SubscriberProfile { Keywords = ["agents"] }, CreatedAt = now.AddDays(-3) });
        var yesterday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        var failed = (await ledger.CreateAsync(LedgerRows.Draft(ann, yesterday, now.AddDays(-1))))!;
        await ledger.RecordAsync(failed, DeliveryStatus.Failed, "554 5.7.1 relay refused", now.AddDays(-1), 554, "5.7.1");
        using var site = new SiteClient(_service.Address);
        await site.PostAsync("/admin/login", [new("token", Token)]);

        var (_, page) = await site.GetAsync("/admin/status");
        var (status, answer) = await site.SubmitAsync("/admin/status", "/admin/status/retry-failed", [new("date", $"{yesterday:yyyy-MM-dd}")]);

        Assert.Contains("Retry failed only", page);
        Assert.Contains("<td>example.org</td><td class=\"n\">1</td>", page);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"1 failed digest of {yesterday:yyyy-MM-dd} due again", answer);
        // Due again, to be claimed by the digest check like any retry (the test's clock stands still, so it waits).
        var row = (await ledger.GetAsync(ann.Id, yesterday))!;
        Assert.Equal((DeliveryStatus.Deferred, 0, failed.MessageId), (row.Status, row.Attempts, row.MessageId));
    }

    [Fact]
    public async Task After_a_digest_run_to_the_outbox_metrics_has_the_sent_counter_and_parses_as_prometheus_text()
    {
        var http = await StartAsync();
        await _service!.Get<IPaperStore>().UpsertAsync(SamplePapers.Load(), Morning.AddHours(-2));
        var subscribers = _service.Get<ISubscriberStore>();
        foreach (var email in new[] { "a@example.org", "b@example.org", "c@example.org" })
            await subscribers.AddAsync(new Subscriber { Email = email, Profile = new SubscriberProfile { Topics = ["llm-agents"] }, DeliveryHour = 0, CreatedAt = Morning });
        await subscribers.AddAsync(new Subscriber { Email = "none@example.org", Profile = new SubscriberProfile { Keywords = ["seismology of icy moons"] }, DeliveryHour = 0, CreatedAt = Morning });

        var report = await _service.Get<DigestRun>().RunAsync(new DigestRunRequest(DueOnly: true), CancellationToken.None);
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var status = await http.GetStringAsync("/admin/status");

        Assert.Equal(3, report.Count(DeliveryStatus.Sent));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(text);
        Assert.Equal("counter", metrics.Types["papermailer_digests_total"]);
        Assert.Equal(3, metrics.Value("papermailer_digests_total", ("outcome", "sent"), ("reason", "accepted")));
        Assert.Equal(1, metrics.Value("papermailer_digests_total", ("outcome", "nothing_to_send"), ("reason", "no_matching_papers")));
        Assert.Equal("histogram", metrics.Types["papermailer_digest_send_duration_seconds"]);
        Assert.Equal(3, metrics.Value("papermailer_digest_send_duration_seconds_count"));
        Assert.Equal(1, metrics.Value("papermailer_digest_run_duration_seconds_count"));
        // The status page shows the same run.
        Assert.Contains("<td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">1</td>", status);
    }

    [Fact]
    public async Task Template_edits_and_the_subscribe_forms_limit_are_counted_where_they_happen()
    {
        using var templates = new TempFolder();
        DigestRendererTests.CopyTemplates(templates.Path);
        var http = await StartAsync(new() { ["Templates:Directory"] = templates.Path, ["Subscriptions:MaxRequestsPerIpPerHour"] = "1" });
        using var site = new SiteClient(_service!.Address);
        var subject = Path.Combine(templates.Path, "digest.subject.sbn");
        // Written beside it and moved into place, so the service's watcher never sees a half-made edit (each change it
        // sees is counted).
        void Write(string text, int minutes)
        {
            var staged = subject + ".staged";
            File.WriteAllText(staged, text);
            File.SetLastWriteTimeUtc(staged, DateTime.UtcNow.AddMinutes(minutes));
            File.Move(staged, subject, overwrite: true);
        }

        var (first, _) = await site.SubmitAsync("/", "/subscribe", [new("email", "ada@example.org"), new("keywords", "agents"), new("hour", "7"), new("timezone", "UTC")]);
        var (second, _) = await site.SubmitAsync("/", "/subscribe", [new("email", "zoe@example.org"), new("keywords", "agents"), new("hour", "7"), new("timezone", "UTC")]);
        Write("{{ if }}", 1);
        await http.GetStringAsync("/admin/version");
        Write("Papers for {{ date }}", 2);
        await http.GetStringAsync("/admin/version");
        var metrics = PrometheusText.Parse(await http.GetStringAsync("/metrics"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (first, second));
        Assert.Equal(1, metrics.Value("papermailer_subscribe_requests_total", ("outcome", "emailed")));
        Assert.Equal(1, metrics.Value("papermailer_subscribe_requests_total", ("outcome", "limited")));
        Assert.Equal(1, metrics.Value("papermailer_subscribe_rate_limited_total", ("limit", "per_network_address")));
        Assert.Equal(1, metrics.Value("papermailer_templates_rejections_total", ("stage", "edit")));
        Assert.Equal(1, metrics.Value("papermailer_templates_reloads_total"));
    }

    [Fact]
    public async Task Metrics_refuse_clients_on_other_machines_unless_allowed()
    {
        // The test can only connect from loopback, so what it checks is that the setting is read: off, there is no page.
        var http = await StartAsync(new() { ["Metrics:Enabled"] = "false" });

        var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;
