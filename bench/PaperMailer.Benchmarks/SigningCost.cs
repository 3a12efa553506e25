using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Benchmarks;

/// <summary>
/// Where the CPU of a signed send goes, measured in the same run as the throughput: writing the MIME message,
/// signing it (body and header canonicalisation, hashing, RSA), and RSA-2048 signatures alone, on one thread and
/// on every core. RSA alone on every core is the bound no signing sender on this machine can pass.
/// </summary>
internal static class SigningCost
{
    public static void Report(IReadOnlyList<OutgoingMessage> messages, string keyFile)
    {
        using var signer = new DkimSigner(Options.Create(new DkimOptions { Domain = "papers.example.org", Selector = "bench", PrivateKeyFile = keyFile }));
        using var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(keyFile));
        byte[][] written = messages.Take(2000).Select(MimeMessageWriter.Write).ToArray();
        byte[] headerBlock = new byte[600];

        double write = PerItem(messages.Take(2000).ToList(), m => MimeMessageWriter.Write(m));
        double sign = PerItem(written, m => signer.Sign(m));
        double rsa = PerItem(written, _ => key.SignData(headerBlock, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        double sha = PerItem(written, m => SHA256.HashData(m));
        double rsaAllCores = RsaSignaturesPerSecondOnAllCores(keyFile, headerBlock);

        Console.WriteLine($"per message, one thread: MIME write {write * 1e6,6:0} µs, DKIM sign {sign * 1e6,6:0} µs " +
            $"(of which RSA-2048 {rsa * 1e6:0} µs, canonicalisation + hashing + copying {(sign - rsa) * 1e6:0} µs, " +
            $"of which SHA-256 over the whole message alone {sha * 1e6:0} µs)");
        Console.WriteLine($"RSA-2048 signatures/s: {1 / rsa,6:0} on one thread, {rsaAllCores,6:0} on all {Environment.ProcessorCount} cores");
    }

    private static double PerItem<T>(IReadOnlyList<T> items, Action<T> work)
    {
        // Warm-up over everything once, so the timed pass runs fully optimised code (tiered JIT), as a long send does.
        foreach (T item in items)
        {
            work(item);
        }

        var watch = Stopwatch.StartNew();
        foreach (T item in items)
        {
            work(item);
        }

        return watch.Elapsed.TotalSeconds / items.Count;
    }

    private static double RsaSignaturesPerSecondOnAllCores(string keyFile, byte[] data)
    {
        const int PerThread = 1000;
        string pem = File.ReadAllText(keyFile);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, _ =>
        {
            using var key = RSA.Create();
            key.ImportFromPem(pem);
            for (int i = 0; i < PerThread; i++)
            {
                key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        });
        return Environment.ProcessorCount * PerThread / watch.Elapsed.TotalSeconds;
    }
}
