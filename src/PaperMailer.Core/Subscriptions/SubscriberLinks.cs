using System.Globalization;
using Microsoft.Extensions.Options;
using PaperMailer.Rank.Feedback;

namespace PaperMailer.Subscriptions;

/// <summary>
/// Signed links that act for a subscriber without a login. A token is "{purpose}.{id}.{expiry}.{signature}" (the id is
/// the subscriber's, or for a digest's web copy the digest's ledger id):
/// expiry in Unix seconds (0 = none), the signature an HMAC-SHA256 over the rest (<see cref="HmacSignature"/>), so a
/// token for one subscriber or purpose cannot be turned into another, any change is detected, and an expired one is refused.
/// </summary>
public sealed class SubscriberLinks
{
    public const string UnsubscribePurpose = "unsubscribe";
    public const string ManagePurpose = "manage";
    public const string ConfirmPurpose = "confirm";
    public const string DigestPurpose = "digest";
    public const string FeedPurpose = "feed";
    public const string ResubscribePurpose = "resubscribe";
    public const string RatePurpose = "rate";

    private readonly byte[] _key;
    private readonly string _baseUrl;
    private readonly TimeProvider _clock;

    public SubscriberLinks(IOptions<WebOptions> options, TimeProvider? clock = null)
    {
        _baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        _key = SigningKeyStore.Load(options.Value);
        _clock = clock ?? TimeProvider.System;
    }

    public string BaseUrl => _baseUrl;

    /// <summary>Never expires: RFC 8058 asks that the List-Unsubscribe URL keep working for the life of the email.</summary>
    public string UnsubscribeUrl(long subscriberId) => $"{_baseUrl}/unsubscribe?token={CreateToken(UnsubscribePurpose, subscriberId)}";

    /// <summary>The preferences page; every digest carries it, so it does not expire either.</summary>
    public string ManageUrl(long subscriberId) => $"{_baseUrl}/manage?token={CreateToken(ManagePurpose, subscriberId)}";

    /// <summary>One digest's web copy, by its ledger id; it lasts as long as the email that carries it.</summary>
    public string DigestUrl(long deliveryId) => $"{_baseUrl}/digest?token={CreateToken(DigestPurpose, deliveryId)}";

    /// <summary>The subscriber's personal Atom feed; feed readers keep the address, so it does not expire.</summary>
    public string FeedUrl(long subscriberId) => $"{_baseUrl}/feed?token={CreateToken(FeedPurpose, subscriberId)}";

    /// <summary>Double opt-in link, valid for <paramref name="validFor"/>.</summary>
    public string ConfirmUrl(long subscriberId, TimeSpan validFor) =>
        $"{_baseUrl}/confirm?token={CreateToken(ConfirmPurpose, subscriberId, _clock.GetUtcNow() + validFor)}";

    /// <summary>The undo link on the "you are unsubscribed" page (a path on this site), valid for <paramref name="validFor"/>.</summary>
    public string ResubscribePath(long subscriberId, TimeSpan validFor) =>
        $"/unsubscribe/undo?token={CreateToken(ResubscribePurpose, subscriberId, _clock.GetUtcNow() + validFor)}";

    /// <summary>
    /// A "more like this" / "less like this" link of one paper in a digest. A paper id has dots, so the link carries
    /// subscriber, paper and vote as they are and a signature over all three; it never expires (the email stays).
    /// </summary>
    public string RateUrl(long subscriberId, string paperId, Vote vote) =>
        $"{_baseUrl}{RatePath(subscriberId, paperId, vote)}";

    /// <summary>The path and query of <see cref="RateUrl"/>, for a form on this site.</summary>
    public string RatePath(long subscriberId, string paperId, Vote vote) =>
        $"/rate?subscriber={subscriberId}&paper={Uri.EscapeDataString(paperId)}&vote={vote.Name()}&sig={HmacSignature.Sign(_key, RatePayload(subscriberId, paperId, vote))}";

    /// <summary>Whether <paramref name="signature"/> is ours for this subscriber, paper and vote.</summary>
    public bool IsGenuineRating(long subscriberId, string paperId, Vote vote, string? signature) =>
        !string.IsNullOrEmpty(signature) && signature.Length <= 100 && HmacSignature.IsGenuine(_key, RatePayload(subscriberId, paperId, vote), signature);

    // Newlines cannot occur in a paper id or a number, so no two (subscriber, paper, vote) share a payload.
    private static string RatePayload(long subscriberId, string paperId, Vote vote) => $"{RatePurpose}\n{subscriberId}\n{paperId}\n{vote.Name()}";

    public string CreateToken(string purpose, long subscriberId, DateTimeOffset? expires = null)
    {
        var payload = $"{purpose}.{subscriberId}.{(expires is { } e ? e.ToUnixTimeSeconds() : 0)}";
        return $"{payload}.{HmacSignature.Sign(_key, payload)}";
    }

    /// <summary>The subscriber id when the token is genuine, made for <paramref name="purpose"/> and not expired.</summary>
    public long? Verify(string? token, string purpose) => Check(token, purpose) is { Valid: true } result ? result.SubscriberId : null;

    /// <summary>What a token says: whether it is genuine, whether it has expired, and for whom.</summary>
    public TokenCheck Check(string? token, string purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 300) return TokenCheck.Invalid;
        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != purpose
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return TokenCheck.Invalid;
        }
        if (!HmacSignature.IsGenuine(_key, $"{parts[0]}.{parts[1]}.{parts[2]}", parts[3])) return TokenCheck.Invalid;
        var expires = expiry == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(expiry);
        return new TokenCheck(true, expires is { } at && at <= _clock.GetUtcNow(), id, expires);
    }
}

/// <param name="Genuine">Signed by us and unchanged.</param>
/// <param name="Expired">Genuine but past its expiry.</param>
public sealed record TokenCheck(bool Genuine, bool Expired, long SubscriberId, DateTimeOffset? Expires)
{
    public static readonly TokenCheck Invalid = new(false, false, 0, null);

    public bool Valid => Genuine && !Expired;
}
