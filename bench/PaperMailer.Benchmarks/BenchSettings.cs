using System.Globalization;

namespace PaperMailer.Benchmarks;

internal sealed record BenchSettings(string Host, int Port, int Messages, int Connections, int Rounds, int Segment, bool Dkim)
{
    public static BenchSettings Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Number(string name, string fallback) => int.Parse(Value(name, fallback), CultureInfo.InvariantCulture);

        return new BenchSettings(
            Value("--host", "127.0.0.1"),
            Number("--port", "2526"),
            Number("--messages", "10000"),
            Number("--connections", "4"),
            Number("--rounds", "3"),
            Number("--segment", "500"),
            args.Contains("--dkim"));
    }
}
