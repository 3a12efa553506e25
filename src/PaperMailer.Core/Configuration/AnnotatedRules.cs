using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PaperMailer.Configuration;

/// <summary>
/// The data annotations of an options class ([Range], [Required], IValidatableObject), reported with the key they are
/// about ("Smtp:MaxConnections: …"). Options' own ValidateDataAnnotations names the class and member instead.
/// </summary>
internal sealed class AnnotatedRules<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(r => $"{section}:{r.MemberNames.FirstOrDefault() ?? ""}: {r.ErrorMessage}"));
    }
}
