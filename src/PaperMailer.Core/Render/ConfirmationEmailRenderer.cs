using PaperMailer.Domain;

namespace PaperMailer.Render;

/// <summary>What the double opt-in email says: a confirmation link, or a notice that the address is already subscribed.</summary>
public sealed record ConfirmationContent(
    Subscriber Subscriber,
    bool AlreadySubscribed,
    string? ConfirmUrl,
    string ManageUrl,
    int ExpiresInHours,
    IReadOnlyList<string> TopicNames);

/// <summary>The three parts of a short email such as the confirmation, as the templates produced them.</summary>
public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>Renders the confirmation email from <c>confirm.subject.sbn</c>, <c>confirm.txt.sbn</c> and <c>confirm.html.sbn</c>.</summary>
public sealed class ConfirmationEmailRenderer(TemplateLibrary library)
{
    public RenderedEmail Render(ConfirmationContent content)
    {
        var parts = library.Render(Model(content, library.Options), $"the confirmation email for {content.Subscriber.Email}", TemplateProof.ConfirmationFiles);
        return new RenderedEmail(EmailText.SingleLine(parts[0]), EmailText.Newlines(parts[1]), EmailText.Newlines(parts[2]));
    }

    internal static Dictionary<string, object?> Model(ConfirmationContent content, TemplateOptions options) => new()
    {
        ["site_name"] = options.SiteName,
        ["email"] = content.Subscriber.Email,
        ["name"] = content.Subscriber.Name,
        ["already_subscribed"] = content.AlreadySubscribed,
        ["confirm_url"] = content.ConfirmUrl,
        ["manage_url"] = content.ManageUrl,
        ["expires_in_hours"] = content.ExpiresInHours,
        ["topics"] = content.TopicNames,
        ["keywords"] = content.Subscriber.Profile.Keywords,
        ["delivery_hour"] = content.Subscriber.DeliveryHour,
        ["time_zone"] = content.Subscriber.TimeZone,
    };
}
