using System.Net.Sockets;
using System.Text;

namespace PaperMailer.RunBench;

/// <summary>
/// The least an SMTP client can do per message, as the yardstick for the run: each connection sends MAIL, RCPT and
/// DATA in one write, then the dot-stuffed content, and reads only reply codes. No TLS, no error handling beyond
/// stopping; every message goes to one fixed address (a discard sink does not care).
/// </summary>
internal static class CeilingClient
{
    /// <param name="files">The messages as .eml files, each read (and dot-stuffed) just before it is sent.</param>
    public static async Task SendAsync(string host, int port, int connections, IReadOnlyList<string> files)
    {
        var envelope = "MAIL FROM:<digest@papers.example.org>\r\nRCPT TO:<reader@example.org>\r\nDATA\r\n"u8.ToArray();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(host, port);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            await ExpectAsync(reader, 1);
            await stream.WriteAsync("EHLO bench.localhost\r\n"u8.ToArray());
            while ((await reader.ReadLineAsync())![3] == '-')
            {
            }

            // The next message is read while the server answers the current one, so reading costs the ceiling no time.
            int i = Interlocked.Increment(ref next);
            var loading = Load(files, i);
            while (i < files.Count)
            {
                var content = await loading;
                await stream.WriteAsync(envelope);
                i = Interlocked.Increment(ref next);
                loading = Load(files, i);
                await ExpectAsync(reader, 3);
                await stream.WriteAsync(content!);
                await ExpectAsync(reader, 1);
            }

            await stream.WriteAsync("QUIT\r\n"u8.ToArray());
        }));
    }

    private static async Task ExpectAsync(StreamReader reader, int replies)
    {
        for (int i = 0; i < replies; i++)
        {
            string line = await reader.ReadLineAsync() ?? throw new IOException("connection closed");
            if (line[0] is not ('2' or '3'))
            {
                throw new IOException($"refused: {line}");
            }
        }
    }

    private static Task<byte[]?> Load(IReadOnlyList<string> files, int i) =>
        i < files.Count ? Task.Run(async () => (byte[]?)Stuff(await File.ReadAllBytesAsync(files[i]))) : Task.FromResult<byte[]?>(null);

    private static byte[] Stuff(byte[] message)
    {
        var text = Encoding.UTF8.GetString(message).Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes((text.EndsWith("\r\n", StringComparison.Ordinal) ? text : text + "\r\n") + ".\r\n");
    }
}
