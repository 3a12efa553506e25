using System.Globalization;

namespace PaperMailer.RankBench;

/// <summary>The bench's options; see Program.cs for their meaning and defaults.</summary>
internal sealed record BenchSettings(int Profiles, int Papers, int Top, int Rounds, string? Python, bool Peer, string Cli, string? Inputs = null)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(100_000, 400, 10, 5, null, true, DefaultCli());
        for (var i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--profiles" => settings with { Profiles = Number(args, ++i) },
                "--papers" => settings with { Papers = Number(args, ++i) },
                "--top" => settings with { Top = Number(args, ++i) },
                "--rounds" => settings with { Rounds = Number(args, ++i) },
                "--python" => settings with { Python = Value(args, ++i) },
                "--no-peer" => settings with { Peer = false },
                "--cli" => settings with { Cli = Value(args, ++i) },
                "--inputs" => settings with { Inputs = Value(args, ++i) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see bench/README.md."),
            };
        }
        return settings;
    }

    /// <summary>The papermailer program built with this bench (same configuration), beside it in the repository.</summary>
    private static string DefaultCli()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        // bench/PaperMailer.RankBench/bin/<configuration>/<framework>/ -> the repository root
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        return Path.Combine(root, "src", "PaperMailer", "bin", configuration, framework, OperatingSystem.IsWindows() ? "papermailer.exe" : "papermailer");
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Number(string[] args, int i) => int.Parse(Value(args, i), CultureInfo.InvariantCulture);
}
