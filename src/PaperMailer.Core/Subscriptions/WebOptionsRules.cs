using Microsoft.Extensions.Options;

namespace PaperMailer.Subscriptions;

/// <summary>Links in emails are built from the public address and signed with the key, so both are checked at start.</summary>
internal sealed class WebOptionsRules : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var failures = new List<string>();
        if (!(Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            failures.Add($"Web:PublicBaseUrl is \"{options.PublicBaseUrl}\", but it must be an absolute http or https address such as \"https://papers.example.org\".");
        }
        if (!string.IsNullOrWhiteSpace(options.SigningKey) && SigningKeyStore.Problem(options.SigningKey) is { } problem)
        {
            // The secret itself is never repeated.
            failures.Add($"Web:SigningKey {problem} (make one with `openssl rand -base64 32`).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
