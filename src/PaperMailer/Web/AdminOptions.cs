using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Web;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The environment variable read when Admin:Token is not set.</summary>
    public const string TokenVariable = "PAPERMAILER_ADMIN_TOKEN";

    /// <summary>
    /// The operator's secret for /admin (environment: Admin__Token or PAPERMAILER_ADMIN_TOKEN). Empty: no operator
    /// page. Changing it signs every operator out.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>How long a sign-in lasts before the token is asked again. Default 12 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Wrong tokens accepted from one network address per hour; beyond it every try from there gets 429 until the
    /// oldest is an hour old, so guessing the token takes forever. Default 10.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFailedSignInsPerHour { get; set; } = 10;
}
