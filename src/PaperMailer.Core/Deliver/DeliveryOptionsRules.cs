using Microsoft.Extensions.Options;

namespace PaperMailer.Deliver;

/// <summary>The sender must be one mailbox: every digest and its Message-IDs are made from it.</summary>
internal sealed class DeliveryOptionsRules : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options) =>
        MailMessageFactory.TryParseFrom(options.From, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Delivery:From is \"{options.From}\", but it must be an email address such as \"PaperMailer <digest@example.org>\".");
}
