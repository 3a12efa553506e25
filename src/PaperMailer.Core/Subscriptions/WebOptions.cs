using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Subscriptions;

public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// Address where subscribers reach this service, used to build the links in every email
    /// (unsubscribe, List-Unsubscribe). Default "http://localhost:5080".
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>
    /// Secret that signs the links in emails (base64, at least 32 bytes). Set it through the environment
    /// (Web__SigningKey). When empty, a key is generated on first start and kept in <see cref="SigningKeyFile"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Where the generated signing key is kept when SigningKey is empty. Default "data/signing.key".</summary>
    [Required(AllowEmptyStrings = false)]
    public string SigningKeyFile { get; set; } = "data/signing.key";
}
