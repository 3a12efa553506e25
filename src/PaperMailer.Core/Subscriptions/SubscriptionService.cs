using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Domain;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Topics;

namespace PaperMailer.Subscriptions;

/// <summary>
/// Subscribing, confirming, changing preferences and leaving — the same rules for the web site and the CLI.
/// Double opt-in: a request creates (or refreshes) a pending subscriber and emails a confirmation link; only the
/// link activates. Every step is recorded as consent (time, address, what was agreed to). A request never reveals
/// whether the address was already subscribed: the answer is the same, and an active subscriber gets a notice
/// with their manage link instead of a confirmation.
/// </summary>
public sealed class SubscriptionService(
    ISubscriberStore subscribers,
    IConsentLog consents,
    ITopicCatalog topics,
    SubscriberLinks links,
    ConfirmationEmailRenderer confirmations,
    MailMessageFactory messages,
    IMailTransport transport,
    SubscribeMetrics metrics,
    TimeProvider clock,
    IOptions<SubscriptionOptions> options,
    ILogger<SubscriptionService> logger)
{
    private readonly SubscriptionOptions _options = options.Value;

    public const string AgreementText = "Send me a research digest by email at the hour I chose, with papers matching my topics and keywords (or, if I chose it, the papers trending on Hugging Face). I can change this or unsubscribe at any time with the links in every email.";

    public async Task<SubscribeOutcome> RequestAsync(SubscribeRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var draft = new Subscriber
        {
            Email = request.Email.Trim(),
            Name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim(),
            Status = SubscriberStatus.Pending,
            Profile = request.Profile,
            Weekday = request.Weekday,
            TimeZone = request.TimeZone,
            DeliveryHour = request.DeliveryHour,
            Frequency = request.Frequency,
            CreatedAt = now,
            StatusChangedAt = now,
        };
        var problems = SubscriberRules.Problems(draft, topics.All);
        if (problems.Count > 0)
        {
            metrics.Requested("invalid");
            return SubscribeOutcome.Invalid(problems);
        }

        var existing = await subscribers.GetByEmailAsync(draft.Email, cancellationToken);
        Subscriber subscriber;
        var alreadySubscribed = existing is { Status: SubscriberStatus.Active or SubscriberStatus.Paused };
        if (existing is null)
        {
            try
            {
                subscriber = await subscribers.AddAsync(draft, cancellationToken);
            }
            catch (DuplicateSubscriberException)
            {
                // Two requests for one address at once: the other created it; treat this one as a repeat.
                return await RequestAsync(request, cancellationToken);
            }
        }
        else if (alreadySubscribed)
        {
            // Their profile is theirs to change through the manage link, not through anyone typing their address.
            subscriber = existing;
        }
        else
        {
            subscriber = draft with { Id = existing.Id, CreatedAt = existing.CreatedAt };
            await subscribers.UpdateProfileAsync(subscriber, cancellationToken);
            await subscribers.SetStatusAsync(subscriber.Id, SubscriberStatus.Pending, now, cancellationToken);
        }

        var recent = await consents.CountSinceAsync(subscriber.Id, ConsentKinds.Requested, now - TimeSpan.FromDays(1), cancellationToken);
        var mayEmail = recent < _options.MaxEmailsPerAddressPerDay;
        await consents.AddAsync(new ConsentRecord
        {
            SubscriberId = subscriber.Id,
            Kind = ConsentKinds.Requested,
            At = now,
            Ip = request.Ip,
            UserAgent = request.UserAgent,
            Details = Describe(draft, mayEmail ? (alreadySubscribed ? "already subscribed: notice sent" : "confirmation sent") : "daily email limit reached: no email sent"),
        }, cancellationToken);
        if (mayEmail)
        {
            metrics.Requested("emailed");
            await SendNoticeAsync(subscriber, alreadySubscribed, cancellationToken);
        }
        else
        {
            metrics.Requested("limited");
            metrics.LimitedPerEmailAddress();
            logger.LogWarning("Subscribe request for {Email} from {Ip}: daily email limit reached, no email sent", subscriber.Email, request.Ip);
        }
        return SubscribeOutcome.Accepted(mayEmail);
    }

    /// <summary>
    /// What following the confirmation link would do, without doing it: mail scanners open links in emails, so the
    /// link's page only asks, and <see cref="ConfirmAsync"/> (the page's button) confirms.
    /// </summary>
    public async Task<(ConfirmOutcome Outcome, Subscriber? Subscriber)> CheckConfirmationAsync(string? token, CancellationToken cancellationToken)
    {
        var check = links.Check(token, SubscriberLinks.ConfirmPurpose);
        if (!check.Genuine) return (ConfirmOutcome.Invalid, null);
        if (check.Expired) return (ConfirmOutcome.Expired, null);
        var subscriber = await subscribers.GetByIdAsync(check.SubscriberId, cancellationToken);
        return subscriber?.Status switch
        {
            SubscriberStatus.Active => (ConfirmOutcome.AlreadyConfirmed, subscriber),
            SubscriberStatus.Pending => (ConfirmOutcome.Ready, subscriber),
            // A confirmation replayed after unsubscribing (or for an address that bounced) must not resubscribe it.
            _ => (ConfirmOutcome.Invalid, null),
        };
    }

    /// <returns>What happened, and when confirmed, the subscriber as now active (their activation time in <see cref="Subscriber.StatusChangedAt"/>).</returns>
    public async Task<(ConfirmOutcome Outcome, Subscriber? Subscriber)> ConfirmAsync(string? token, string? ip, string? userAgent, CancellationToken cancellationToken)
    {
        var (outcome, subscriber) = await CheckConfirmationAsync(token, cancellationToken);
        if (outcome != ConfirmOutcome.Ready) return (outcome, subscriber);
        var now = clock.GetUtcNow();
        await subscribers.SetStatusAsync(subscriber!.Id, SubscriberStatus.Active, now, cancellationToken);
        await consents.AddAsync(new ConsentRecord
        {
            SubscriberId = subscriber.Id, Kind = ConsentKinds.Confirmed, At = now, Ip = ip, UserAgent = userAgent,
            Details = Describe(subscriber, "confirmed by the link sent to the address"),
        }, cancellationToken);
        return (ConfirmOutcome.Confirmed, subscriber with { Status = SubscriberStatus.Active, StatusChangedAt = now });
    }

    /// <summary>Applies a subscriber's own changes; <see cref="Preferences.Frequency"/> "paused" stops digests without leaving.</summary>
    public async Task<IReadOnlyList<string>> UpdatePreferencesAsync(Subscriber subscriber, Preferences preferences, string? ip, string? userAgent, CancellationToken cancellationToken)
    {
        var updated = subscriber with
        {
            Name = string.IsNullOrWhiteSpace(preferences.Name) ? subscriber.Name : preferences.Name.Trim(),
            Profile = preferences.Profile,
            TimeZone = preferences.TimeZone,
            DeliveryHour = preferences.DeliveryHour,
            Frequency = preferences.Paused ? subscriber.Frequency : preferences.Frequency,
            Weekday = preferences.Weekday,
        };
        var problems = SubscriberRules.Problems(updated, topics.All);
        if (problems.Count > 0) return problems;
        var now = clock.GetUtcNow();
        await subscribers.UpdateProfileAsync(updated, cancellationToken);
        var status = preferences.Paused ? SubscriberStatus.Paused : SubscriberStatus.Active;
        if (subscriber.Status != status && subscriber.Status is not SubscriberStatus.Pending)
        {
            await subscribers.SetStatusAsync(subscriber.Id, status, now, cancellationToken);
        }
        await consents.AddAsync(new ConsentRecord
        {
            SubscriberId = subscriber.Id, Kind = ConsentKinds.PreferencesChanged, At = now, Ip = ip, UserAgent = userAgent,
            Details = Describe(updated, preferences.Paused ? "paused" : $"{status.ToString().ToLowerInvariant()}, {updated.Frequency.Name()}"),
        }, cancellationToken);
        return [];
    }

    public async Task UnsubscribeAsync(Subscriber subscriber, string how, string? ip, string? userAgent, CancellationToken cancellationToken)
    {
        if (subscriber.Status == SubscriberStatus.Unsubscribed) return;
        var now = clock.GetUtcNow();
        await subscribers.SetStatusAsync(subscriber.Id, SubscriberStatus.Unsubscribed, now, cancellationToken);
        await consents.AddAsync(new ConsentRecord
        {
            SubscriberId = subscriber.Id, Kind = ConsentKinds.Unsubscribed, At = now, Ip = ip, UserAgent = userAgent, Details = how,
        }, cancellationToken);
    }

    /// <summary>
    /// Undoes an unsubscribe (the signed undo link of the page that confirmed it): active again with the profile they
    /// had. Only an unsubscribed address comes back; a bounced one, or one that changed since, is left as it is.
    /// </summary>
    public async Task<bool> ResubscribeAsync(Subscriber subscriber, string? ip, string? userAgent, CancellationToken cancellationToken)
    {
        if (subscriber.Status != SubscriberStatus.Unsubscribed) return subscriber.Status == SubscriberStatus.Active;
        var now = clock.GetUtcNow();
        await subscribers.SetStatusAsync(subscriber.Id, SubscriberStatus.Active, now, cancellationToken);
        await consents.AddAsync(new ConsentRecord
        {
            SubscriberId = subscriber.Id, Kind = ConsentKinds.Resubscribed, At = now, Ip = ip, UserAgent = userAgent,
            Details = Describe(subscriber, "undo of the unsubscribe, from the link on its page"),
        }, cancellationToken);
        return true;
    }

    private async Task SendNoticeAsync(Subscriber subscriber, bool alreadySubscribed, CancellationToken cancellationToken)
    {
        var rendered = confirmations.Render(new ConfirmationContent(subscriber, alreadySubscribed,
            alreadySubscribed ? null : links.ConfirmUrl(subscriber.Id, _options.ConfirmationExpiry),
            links.ManageUrl(subscriber.Id),
            (int)Math.Round(_options.ConfirmationExpiry.TotalHours),
            topics.All.Where(t => subscriber.Profile.Topics.Contains(t.Id, StringComparer.OrdinalIgnoreCase)).Select(t => t.Name).ToList()));
        using var message = messages.CreateNotice("confirm", subscriber.Id, subscriber.Email, rendered.Subject, rendered.Text, rendered.Html, clock.GetUtcNow());
        var result = await transport.SendAsync(message, cancellationToken);
        if (result.Outcome == DeliveryOutcome.Sent)
            logger.LogInformation("Sent {Kind} to {Email}: {Reply}", alreadySubscribed ? "already-subscribed notice" : "confirmation", subscriber.Email, result.Reply);
        else
            logger.LogWarning("Could not send the confirmation to {Email} ({Outcome}): {Reply}", subscriber.Email, result.Outcome, result.Reply);
    }

    /// <summary>A consent record's details: what was agreed to, why this record was made and the profile at that moment.</summary>
    internal static string Describe(Subscriber s, string note) => JsonSerializer.Serialize(new
    {
        agreed = AgreementText,
        note,
        topics = s.Profile.Topics,
        keywords = s.Profile.Keywords,
        exclude = s.Profile.Exclusions,
        trending = s.Profile.Trending,
        timezone = s.TimeZone,
        hour = s.DeliveryHour,
        frequency = s.Frequency.Name(),
        weekday = s.Weekday?.ToString().ToLowerInvariant(),
    });
}

/// <summary>What a subscriber can change on the preferences page.</summary>
public sealed record Preferences(
    string? Name, SubscriberProfile Profile, string TimeZone, int DeliveryHour, DigestFrequency Frequency, bool Paused, DayOfWeek? Weekday = null);

/// <param name="Emailed">Whether an email went out (or was attempted): a request past the per-address limit sends none.</param>
public sealed record SubscribeOutcome(bool Ok, IReadOnlyList<string> Problems, bool Emailed)
{
    public static SubscribeOutcome Accepted(bool emailed) => new(true, [], emailed);
    public static SubscribeOutcome Invalid(IReadOnlyList<string> problems) => new(false, problems, false);
}

public enum ConfirmOutcome
{
    /// <summary>Genuine and pending: confirming would activate the subscription.</summary>
    Ready,
    Confirmed,
    AlreadyConfirmed,
    Expired,
    Invalid,
}
