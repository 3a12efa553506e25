using Microsoft.Extensions.Options;
using PaperMailer.Subscriptions;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Subscriptions;

public class SubscriberLinksTests
{
    private static SubscriberLinks Links(string key) => new(Options.Create(new WebOptions { PublicBaseUrl = "https://p.example.org/", SigningKey = key }));

    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void A_genuine_token_names_its_subscriber()
    {
        var links = Links(KeyA);
        Assert.Equal(42, links.Verify(links.CreateToken("unsubscribe", 42), "unsubscribe"));
        Assert.StartsWith("https://p.example.org/unsubscribe?token=unsubscribe.42.0.", links.UnsubscribeUrl(42));
    }

    [Fact]
    public void Changed_ids_other_purposes_other_keys_and_garbage_are_all_refused()
    {
        var links = Links(KeyA);
        var token = links.CreateToken("unsubscribe", 42);

        Assert.Null(links.Verify(token.Replace("unsubscribe.42.0.", "unsubscribe.43.0.", StringComparison.Ordinal), "unsubscribe"));
        Assert.Null(links.Verify(token, "manage"));
        Assert.Null(Links(KeyB).Verify(token, "unsubscribe"));
        Assert.Null(links.Verify(token[..^2], "unsubscribe"));
        Assert.Null(links.Verify("unsubscribe.42.0.!!!", "unsubscribe"));
        Assert.Null(links.Verify(null, "unsubscribe"));
    }

    [Fact]
    public void Only_the_exact_signature_text_is_accepted_not_other_spellings_of_the_same_bytes()
    {
        var links = Links(KeyA);
        // A token whose signature has a character that base64url and standard base64 spell differently.
        var token = Enumerable.Range(1, 500).Select(id => links.CreateToken("unsubscribe", id)).First(t => t[(t.LastIndexOf('.') + 1)..].IndexOfAny(['-', '_']) >= 0);
        var id = long.Parse(token.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(id, links.Verify(token, "unsubscribe"));

        // 32 bytes take 43 characters; the last carries 4 bits, so 4 different last characters decode to the same bytes.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        foreach (var last in Alphabet.Where(c => c != token[^1]))
        {
            Assert.Null(links.Verify(token[..^1] + last, "unsubscribe"));
        }
        Assert.Null(links.Verify(token + "=", "unsubscribe"));
        Assert.Null(links.Verify(token.Replace('-', '+').Replace('_', '/'), "unsubscribe"));
        Assert.Null(links.Verify(token + " ", "unsubscribe"));
    }

    [Fact]
    public void Without_a_configured_key_one_is_generated_once_and_kept()
    {
        using var folder = new TempFolder();
        var options = Options.Create(new WebOptions { SigningKeyFile = folder.File("keys/signing.key") });

        var first = new SubscriberLinks(options);
        var second = new SubscriberLinks(options);

        Assert.True(File.Exists(folder.File("keys/signing.key")));
        Assert.Equal(5, second.Verify(first.CreateToken("unsubscribe", 5), "unsubscribe"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.File("keys/signing.key")));
        }
    }
}
