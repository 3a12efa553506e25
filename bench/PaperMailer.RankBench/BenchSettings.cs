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

    /// <summary>
    /// The program as a user installs it, ahead-of-time compiled: what <c>dotnet publish src/PaperMailer -c Release</c>
    /// writes (to its default folder, under bin/), when it is there; otherwise the program built beside the bench in
    /// the same configuration (what <c>dotnet run</c> starts: everything compiled at run time).
    /// </summary>
    private static string DefaultCli()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var program = OperatingSystem.IsWindows() ? "papermailer.exe" : "papermailer";
        // bench/PaperMailer.RankBench/bin/<configuration>/<framework>/ -> the repository root
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var built = new DirectoryInfo(Path.Combine(root, "src", "PaperMailer", "bin", configuration, framework));
        // Publishing for a runtime (as ahead-of-time compilation does) writes to <runtime>/publish/.
        var published = built.Exists
            ? built.EnumerateDirectories().Select(d => new FileInfo(Path.Combine(d.FullName, "publish", program)))
                .Where(f => f.Exists).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
            : null;
        return published?.FullName ?? Path.Combine(built.FullName, program);
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Number(string[] args, int i) => int.Parse(Value(args, i), CultureInfo.InvariantCulture);
}
