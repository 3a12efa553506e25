using Microsoft.Extensions.Options;
using MimeKit;

namespace PaperMailer.Bounces;

/// <summary>The bounce address must be one plain address whose local part can take "+token"; a mailbox needs a user.</summary>
internal sealed class BounceOptionsRules : IValidateOptions<BounceOptions>
{
    public ValidateOptionsResult Validate(string? name, BounceOptions options)
    {
        var problems = new List<string>();
        if (options.HasReturnPath)
        {
            if (!MailboxAddress.TryParse(options.Address!, out var address) || address is null || address.LocalPart.Length == 0 || address.Domain.Length == 0 || !string.IsNullOrEmpty(address.Name))
            {
                problems.Add($"Bounces:Address is \"{options.Address}\", but it must be a plain email address such as \"bounces@example.org\".");
            }
            else if (address.LocalPart.Contains(BounceReturnPath.Delimiter, StringComparison.Ordinal))
            {
                problems.Add($"Bounces:Address is \"{options.Address}\", but its local part must not contain \"{BounceReturnPath.Delimiter}\": each digest's return path adds \"{BounceReturnPath.Delimiter}token\" to it.");
            }
        }
        if (options.HasMailbox && string.IsNullOrWhiteSpace(options.UserName))
        {
            problems.Add($"Bounces:Host is \"{options.Host}\", but Bounces:UserName is empty: the bounce mailbox needs a user (and Bounces__Password in the environment).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
