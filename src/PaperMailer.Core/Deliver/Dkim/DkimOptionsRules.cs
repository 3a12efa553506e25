using Microsoft.Extensions.Options;

namespace PaperMailer.Deliver.Dkim;

/// <summary>All three keys or none, and a key file that holds an RSA private key: checked at start, not at the first send.</summary>
internal sealed class DkimOptionsRules : IValidateOptions<DkimOptions>
{
    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        if (options.IsPartlyConfigured)
        {
            return ValidateOptionsResult.Fail("Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile must be set together (all three to sign, none to send unsigned).");
        }
        if (!options.IsConfigured) return ValidateOptionsResult.Success;
        if (!File.Exists(options.PrivateKeyFile))
        {
            return ValidateOptionsResult.Fail($"Dkim:PrivateKeyFile is \"{options.PrivateKeyFile}\", but there is no such file (create a key with `openssl genrsa -out dkim.pem 2048`).");
        }
        if (DkimPrivateKey.Problem(options.PrivateKeyFile!) is { } problem) return ValidateOptionsResult.Fail(problem);
        return ValidateOptionsResult.Success;
    }
}
