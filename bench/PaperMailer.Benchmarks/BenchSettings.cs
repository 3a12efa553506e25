using System.Globalization;

namespace PaperMailer.Benchmarks;

internal sealed record BenchSettings(string Host, int Port, int Messages, int Connections, int SystemNetMailMessages)
{
    public static BenchSettings Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int messages = int.Parse(Value("--messages", "10000"), CultureInfo.InvariantCulture);
        return new BenchSettings(
            Value("--host", "127.0.0.1"),
            int.Parse(Value("--port", "2526"), CultureInfo.InvariantCulture),
            messages,
            int.Parse(Value("--connections", "4"), CultureInfo.InvariantCulture),
            int.Parse(Value("--system-net-mail-messages", messages.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
    }
}
