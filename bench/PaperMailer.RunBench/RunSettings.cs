using System.Globalization;

namespace PaperMailer.RunBench;

/// <param name="Host">SMTP server of the SMTP run and the ceiling; null (no --port and no PAPERMAILER_TEST_POSTFIX) skips both.</param>
/// <param name="Lexical">Rank on words alone (<c>Ranking:Semantic=false</c>) instead of the product's default, the blend.</param>
/// <param name="RatedEvery">Every this many subscribers one has rated papers (0: nobody has), so that their digests
/// rank with what the ratings taught.</param>
internal sealed record RunSettings(int Subscribers, int Papers, int Connections, string? Host, int Port, int Rounds, bool Lexical = false, int RatedEvery = 0)
{
    public static RunSettings Parse(string[] args)
    {
        // The Postfix discard sink of scripts/test-servers.sh announces itself as host:port.
        string? postfix = Environment.GetEnvironmentVariable("PAPERMAILER_TEST_POSTFIX");
        string? host = postfix?.Split(':')[0];
        int port = postfix is null ? 2526 : Number(postfix.Split(':')[1]);
        var settings = new RunSettings(100_000, 402, 4, host, port, 1);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            settings = args[i] switch
            {
                "--subscribers" => settings with { Subscribers = Number(args[i + 1]) },
                "--papers" => settings with { Papers = Number(args[i + 1]) },
                "--connections" => settings with { Connections = Number(args[i + 1]) },
                "--host" => settings with { Host = args[i + 1] },
                "--port" => settings with { Port = Number(args[i + 1]), Host = settings.Host ?? "127.0.0.1" },
                "--rounds" => settings with { Rounds = Number(args[i + 1]) },
                "--ranking" => settings with { Lexical = Ranking(args[i + 1]) },
                "--rated-every" => settings with { RatedEvery = Number(args[i + 1]) },
                _ => throw new ArgumentException($"unknown option {args[i]} (known: --subscribers, --papers, --connections, --host, --port, --rounds, --ranking, --rated-every)"),
            };
        }

        return settings;
    }

    private static bool Ranking(string text) => text switch
    {
        "blend" => false,
        "lexical" => true,
        _ => throw new ArgumentException($"--ranking {text}: say blend (the default) or lexical"),
    };

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
