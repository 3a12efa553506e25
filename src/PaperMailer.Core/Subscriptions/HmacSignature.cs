using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PaperMailer.Subscriptions;

/// <summary>
/// HMAC-SHA256 signatures written as unpadded base64url, for signed links and the operator's session cookie.
/// A signature is accepted only when it is exactly the text we would write: decoding first would let several texts
/// stand for one signature (the unused low bits of the last character, padding, the standard alphabet), so a changed
/// link could still pass. The comparison takes the same time wherever the texts differ.
/// </summary>
public static class HmacSignature
{
    public static string Sign(byte[] key, string payload) => Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));

    public static bool IsGenuine(byte[] key, string payload, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Sign(key, payload)), Encoding.UTF8.GetBytes(signature));
}
