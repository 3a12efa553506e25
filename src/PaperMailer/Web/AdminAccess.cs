using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>
/// Who may use /admin. The token is given once, at sign-in (or in an "Authorization: Bearer" header by scripts);
/// the browser then holds a session cookie, never the token: "{expiry}.{signature}", signed with a key derived from
/// the token, so it cannot be made without the token, ends at its expiry, and every session ends when the token
/// changes. Wrong tokens are limited per network address (<see cref="AdminOptions.MaxFailedSignInsPerHour"/>);
/// a valid session is never refused by that limit.
/// </summary>
public sealed class AdminAccess
{
    public const string CookieName = "papermailer_admin";
    private const string SessionPurpose = "admin-session";

    private readonly byte[] _tokenHash;
    private readonly byte[] _sessionKey;
    private readonly AdminOptions _options;
    private readonly TimeProvider _clock;
    private readonly ClientLimit _failures;

    private readonly ILogger<AdminAccess> _logger;

    public AdminAccess(IOptions<AdminOptions> options, TimeProvider clock, ILogger<AdminAccess> logger)
    {
        _logger = logger;
        _options = options.Value;
        _clock = clock;
        Token = string.IsNullOrWhiteSpace(_options.Token) ? Environment.GetEnvironmentVariable(AdminOptions.TokenVariable) : _options.Token;
        if (string.IsNullOrWhiteSpace(Token)) Token = null;
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(Token ?? ""));
        _sessionKey = SHA256.HashData(Encoding.UTF8.GetBytes("PaperMailer operator session\0" + Token));
        _failures = new ClientLimit(_options.MaxFailedSignInsPerHour, TimeSpan.FromHours(1), clock);
    }

    /// <summary>Null when no token is configured: then there is no operator page.</summary>
    public string? Token { get; }

    public AdminAccessResult Check(HttpContext http)
    {
        if (IsSession(http.Request.Cookies[CookieName])) return AdminAccessResult.Allowed;
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? CheckToken(http, header["Bearer ".Length..]) : AdminAccessResult.SignInNeeded;
    }

    /// <summary>Checks a token given at sign-in and, when it is right, starts a session.</summary>
    public AdminAccessResult SignIn(HttpContext http, string token)
    {
        var result = CheckToken(http, token);
        if (result == AdminAccessResult.Allowed)
        {
            var expires = _clock.GetUtcNow() + _options.SessionLifetime;
            var payload = $"{SessionPurpose}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            http.Response.Cookies.Append(CookieName, $"{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{HmacSignature.Sign(_sessionKey, payload)}",
                new CookieOptions { HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/admin", Expires = expires });
        }
        return result;
    }

    private AdminAccessResult CheckToken(HttpContext http, string given)
    {
        if (Token is null) return AdminAccessResult.SignInNeeded;
        var client = ClientLimit.ClientOf(http.Connection.RemoteIpAddress);
        if (!_failures.TryTake(client)) return AdminAccessResult.TooManyFailures;
        if (!CryptographicOperations.FixedTimeEquals(_tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(given))))
        {
            // At most MaxFailedSignInsPerHour lines per address and hour: refused tries are not checked, so not logged.
            _logger.LogWarning("Wrong operator token from {Client}", client);
            return AdminAccessResult.WrongToken;
        }
        _failures.GiveBack(client);
        return AdminAccessResult.Allowed;
    }

    private bool IsSession(string? cookie)
    {
        if (Token is null || cookie is null || cookie.Split('.') is not [var expiry, var signature]) return false;
        if (!long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        return HmacSignature.IsGenuine(_sessionKey, $"{SessionPurpose}.{expiry}", signature) && _clock.GetUtcNow().ToUnixTimeSeconds() < seconds;
    }
}

public enum AdminAccessResult { Allowed, SignInNeeded, WrongToken, TooManyFailures }
