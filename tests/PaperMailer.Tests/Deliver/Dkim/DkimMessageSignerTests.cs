using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Deliver.Dkim;

/// <summary>
/// DKIM signing through MimeKit's signer with .NET's RSA. PKCS#1 v1.5 signatures are deterministic, so a signature
/// must equal, byte for byte, the one MimeKit makes with BouncyCastle for the same message, key and time. That
/// receivers verify them is checked against python3-dkim by the integration tests.
/// </summary>
[RunsForAbout(seconds: 10)]
public sealed class DkimMessageSignerTests : IClassFixture<DkimMessageSignerTests.TestKey>, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 16, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private readonly RSA _key;

    public DkimMessageSignerTests(TestKey key)
    {
        _key = key.Rsa;
        File.WriteAllText(KeyFile, _key.ExportPkcs8PrivateKeyPem());
    }

    private string KeyFile => _folder.File("dkim.pem");

    public void Dispose() => _folder.Dispose();

    /// <summary>One key for the class's tests, each with its own key file: making a 2048-bit key costs more than most of them, and none changes it.</summary>
    public sealed class TestKey : IDisposable
    {
        public RSA Rsa { get; } = RSA.Create(2048);

        public void Dispose() => Rsa.Dispose();
    }

    [Fact]
    public void The_signature_is_the_one_MimeKit_makes_with_BouncyCastle()
    {
        using var signer = Signer();
        MimeMessage ours = TestMessages.Digest(name: "Zoë Žáková");
        MimeMessage reference = TestMessages.Digest(name: "Zoë Žáková");

        signer.Sign(ours);
        Reference().Sign(PaperMailer.Deliver.Mime.WireFormat.Options, reference, Signed(reference));

        Assert.Equal(reference.Headers[HeaderId.DkimSignature], ours.Headers[HeaderId.DkimSignature]);
    }

    [Fact]
    public async Task Messages_signed_at_the_same_time_on_many_threads_each_get_their_right_signature()
    {
        using var signer = Signer();
        MimeMessage[] ours = [.. Enumerable.Range(0, 48).Select(i => TestMessages.Digest($"<pm.{i}@papers.example.org>", email: $"r{i}@example.org"))];
        MimeMessage[] reference = [.. Enumerable.Range(0, 48).Select(i => TestMessages.Digest($"<pm.{i}@papers.example.org>", email: $"r{i}@example.org"))];

        await Parallel.ForEachAsync(ours, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (message, _) =>
        {
            signer.Sign(message);
            return ValueTask.CompletedTask;
        });
        var bouncyCastle = Reference();
        foreach (MimeMessage message in reference)
        {
            bouncyCastle.Sign(PaperMailer.Deliver.Mime.WireFormat.Options, message, Signed(message));
        }

        Assert.Equal(reference.Select(m => m.Headers[HeaderId.DkimSignature]), ours.Select(m => m.Headers[HeaderId.DkimSignature]));
    }

    [Fact]
    public void The_signature_is_relaxed_relaxed_rsa_sha256_over_the_headers_one_click_unsubscribe_needs()
    {
        using var signer = Signer();
        MimeMessage message = TestMessages.Digest();

        signer.Sign(message);

        Dictionary<string, string> tags = Tags(message.Headers[HeaderId.DkimSignature]!);
        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("relaxed/relaxed", tags["c"]);
        Assert.Equal(("papers.example.org", "pm"), (tags["d"], tags["s"]));
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tags["t"]);
        Assert.Equal("from:to:subject:date:message-id:mime-version:content-type:list-unsubscribe:list-unsubscribe-post", tags["h"]);
        Assert.Equal(0, message.Headers.IndexOf(HeaderId.DkimSignature));
    }

    [Fact]
    public void A_message_already_signed_is_not_signed_again()
    {
        using var signer = Signer();
        MimeMessage message = TestMessages.Digest();

        signer.Sign(message);
        signer.Sign(message);

        Assert.Single(message.Headers, h => h.Id == HeaderId.DkimSignature);
    }

    [Fact]
    public void Without_DKIM_settings_messages_pass_unsigned_and_the_DNS_record_says_what_to_set()
    {
        using var signer = new DkimMessageSigner(Options.Create(new DkimOptions()));
        MimeMessage message = TestMessages.Digest();

        signer.Sign(message);

        Assert.False(signer.IsEnabled);
        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
        Assert.Equal("DKIM is not configured: set Dkim:Domain, Dkim:Selector and Dkim:PrivateKeyFile.",
            Assert.Throws<InvalidOperationException>(() => signer.DnsRecord()).Message);
    }

    [Fact]
    public void The_DNS_record_publishes_the_public_key_in_strings_of_at_most_255_characters()
    {
        using var signer = Signer();

        string record = signer.DnsRecord();

        string expected = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());
        Assert.StartsWith("pm._domainkey.papers.example.org. IN TXT ( \"v=DKIM1; k=rsa; p=", record);
        string[] strings = [.. System.Text.RegularExpressions.Regex.Matches(record, "\"([^\"]*)\"").Select(m => m.Groups[1].Value)];
        Assert.All(strings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Equal(expected, string.Concat(strings));
    }

    [Theory]
    [InlineData("not a key", "holds no RSA private key in PEM form")]
    [InlineData(null, "cannot be read")]
    public void A_bad_key_file_stops_with_a_sentence_naming_the_setting(string? content, string problem)
    {
        string path = _folder.File("bad.pem");
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var error = Assert.Throws<InvalidOperationException>(() => new DkimMessageSigner(Options.Create(
            new DkimOptions { Domain = "papers.example.org", Selector = "pm", PrivateKeyFile = path })));

        Assert.StartsWith($"Dkim:PrivateKeyFile \"{path}\" ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    private DkimMessageSigner Signer() =>
        new(Options.Create(new DkimOptions { Domain = "papers.example.org", Selector = "pm", PrivateKeyFile = KeyFile }), new ManualClock(Now));

    private BouncyCastleDkimSigner Reference() => new(KeyFile, Now);

    // What our signer signs: the listed headers the prepared message has (Content-Type lives with the body in MimeKit).
    private static string[] Signed(MimeMessage message)
    {
        message.Prepare(EncodingConstraint.SevenBit, 78);
        return [.. DkimMessageSigner.SignedHeaders.Where(h => message.Headers.Contains(h) || message.Body!.Headers.Contains(h))];
    }

    private static Dictionary<string, string> Tags(string value) => value
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(tag => tag.Split('=', 2))
        .ToDictionary(pair => pair[0], pair => string.Concat(pair[1].Where(c => !char.IsWhiteSpace(c))));

    /// <summary>MimeKit's signer as it comes (BouncyCastle RSA), at a fixed time.</summary>
    private sealed class BouncyCastleDkimSigner : MimeKit.Cryptography.DkimSigner
    {
        private readonly DateTimeOffset _now;

        public BouncyCastleDkimSigner(string keyFile, DateTimeOffset now) : base(keyFile, "papers.example.org", "pm")
        {
            _now = now;
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        }

        protected override long GetTimestamp() => _now.ToUnixTimeSeconds();
    }
}
