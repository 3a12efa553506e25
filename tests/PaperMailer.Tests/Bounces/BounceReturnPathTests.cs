using Microsoft.Extensions.Options;
using PaperMailer.Bounces;
using PaperMailer.Subscriptions;

namespace PaperMailer.Tests.Bounces;

public sealed class BounceReturnPathTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static BounceReturnPath Make(string? address = "bounces@papers.example.org", string key = "") =>
        new(Options.Create(new BounceOptions { Address = address }), Options.Create(new WebOptions { SigningKey = key.Length > 0 ? key : Key }));

    [Fact]
    public void A_digest_return_path_names_the_digest_and_reads_back_as_it()
    {
        var paths = Make();

        var address = paths.For(4711)!.Address;

        Assert.Matches(@"^bounces\+4711-[0-9a-f]{16}@papers\.example\.org$", address);
        Assert.Equal(4711, paths.Read(address));
        Assert.Equal(4711, paths.Read(address.ToUpperInvariant()));
    }

    [Fact]
    public void A_forged_or_altered_return_path_names_no_digest()
    {
        var paths = Make();
        var genuine = paths.For(4711)!.Address;
        var signature = genuine[(genuine.IndexOf('-') + 1)..genuine.IndexOf('@')];

        Assert.Null(paths.Read(genuine.Replace("+4711-", "+4712-")));                       // another digest, same signature
        Assert.Null(paths.Read(genuine.Replace(signature, new string('0', signature.Length))));
        Assert.Null(paths.Read(genuine.Replace(signature, signature[..^1])));
        Assert.Null(paths.Read(Make(key: Convert.ToBase64String(new byte[32])).For(4711)!.Address));   // another installation's key
        Assert.Null(paths.Read("bounces@papers.example.org"));
        Assert.Null(paths.Read("digest@papers.example.org"));
        Assert.Null(paths.Read(""));
    }

    [Fact]
    public void Without_a_bounce_address_digests_keep_their_envelope()
    {
        var paths = Make(address: null);

        Assert.False(paths.Enabled);
        Assert.Null(paths.For(4711));
    }
}
