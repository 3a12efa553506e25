using System.Diagnostics;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Benchmarks;

/// <summary>
/// Where a message's CPU goes before the wire, on one thread, in the same run as the throughput: building it
/// (factory: headers, both parts encoded), and DKIM-signing it with MimeKit's signer as it comes (BouncyCastle RSA)
/// and as PaperMailer uses it (.NET RSA through the signer's signing context). The two signatures are the same bytes.
/// </summary>
internal static class SigningCost
{
    private const int Samples = 1000;

    public static void Report(DigestMessages digests, DkimOptions dkim)
    {
        int count = Math.Min(Samples, digests.Count);
        using var ours = new DkimMessageSigner(Options.Create(dkim));
        var bouncyCastle = new MimeKit.Cryptography.DkimSigner(dkim.PrivateKeyFile!, dkim.Domain!, dkim.Selector!)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };

        double build = PerMessage(count, i => digests.Build(i));
        double dotNet = PerMessage(count, i => ours.Sign(digests.Build(i))) - build;
        double stock = PerMessage(count, i =>
        {
            MimeMessage message = digests.Build(i);
            message.Prepare(EncodingConstraint.SevenBit, 78);
            bouncyCastle.Sign(WireFormat.Options, message, [.. DkimMessageSigner.SignedHeaders.Where(h => message.Headers.Contains(h) || message.Body!.Headers.Contains(h))]);
        }) - build;

        Console.WriteLine($"per message, one thread: build {build * 1e3:0.000} ms; DKIM sign with MimeKit's DkimSigner: BouncyCastle RSA {stock * 1e3:0.000} ms, " +
            $".NET RSA (PaperMailer's signing context) {dotNet * 1e3:0.000} ms ({stock / dotNet:0.0}x faster)");
    }

    private static double PerMessage(int count, Action<int> work)
    {
        // Warm-up over everything once, so the timed pass runs fully optimised code (tiered JIT), as a long send does.
        for (int i = 0; i < count; i++)
        {
            work(i);
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            work(i);
        }

        return watch.Elapsed.TotalSeconds / count;
    }
}
