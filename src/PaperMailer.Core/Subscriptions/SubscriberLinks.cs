using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PaperMailer.Subscriptions;

/// <summary>
/// Signed links that act for a subscriber without a login. A token is "{purpose}.{subscriberId}.{signature}", the
/// signature an HMAC-SHA256 over purpose and id, so a token for one subscriber or purpose cannot be turned into
/// another, and any change to it is detected.
/// </summary>
public sealed class SubscriberLinks
{
    public const string UnsubscribePurpose = "unsubscribe";

    private readonly byte[] _key;
    private readonly string _baseUrl;

    public SubscriberLinks(IOptions<WebOptions> options)
    {
        _baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        _key = SigningKeyStore.Load(options.Value);
    }

    public string UnsubscribeUrl(long subscriberId) => $"{_baseUrl}/unsubscribe?token={CreateToken(UnsubscribePurpose, subscriberId)}";

    public string CreateToken(string purpose, long subscriberId)
    {
        var payload = $"{purpose}.{subscriberId}";
        return $"{payload}.{Base64Url(Sign(payload))}";
    }

    /// <summary>The subscriber id when the token is genuine and made for <paramref name="purpose"/>; otherwise null.</summary>
    public long? Verify(string? token, string purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return null;
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != purpose || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out var id)) return null;
        var expected = Sign($"{parts[0]}.{parts[1]}");
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(parts[2].Replace('-', '+').Replace('_', '/') + new string('=', (4 - parts[2].Length % 4) % 4));
        }
        catch (FormatException)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? id : null;
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
