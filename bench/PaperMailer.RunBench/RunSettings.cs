using System.Globalization;

namespace PaperMailer.RunBench;

internal sealed record RunSettings(int Subscribers, int Connections, string Host, int Port)
{
    public static RunSettings Parse(string[] args)
    {
        var settings = new RunSettings(3000, 4, "127.0.0.1", 2526);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            settings = args[i] switch
            {
                "--subscribers" => settings with { Subscribers = Number(args[i + 1]) },
                "--connections" => settings with { Connections = Number(args[i + 1]) },
                "--host" => settings with { Host = args[i + 1] },
                "--port" => settings with { Port = Number(args[i + 1]) },
                _ => throw new ArgumentException($"unknown option {args[i]} (known: --subscribers, --connections, --host, --port)"),
            };
        }

        return settings;
    }

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
