using System.Net.Sockets;
using System.Text;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Benchmarks;

/// <summary>
/// The ceiling: the least an SMTP client can do per message. Messages are written to bytes beforehand; each
/// connection sends MAIL, RCPT and DATA in one write, then the content, and reads only the reply codes. No TLS,
/// no RSET, no timeouts, no error handling beyond stopping: a yardstick, not a client.
/// </summary>
internal static class MinimalPipelinedClient
{
    public static async Task RunAsync(string host, int port, int connections, IReadOnlyList<OutgoingMessage> messages)
    {
        var prepared = messages.Select(m => (Envelope: Encoding.ASCII.GetBytes($"MAIL FROM:<{m.From.Address}>\r\nRCPT TO:<{m.To.Address}>\r\nDATA\r\n"),
            Content: Stuff(MimeMessageWriter.Write(m)))).ToArray();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(host, port);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            await ExpectAsync(reader, 1);   // greeting
            await stream.WriteAsync("EHLO bench.localhost\r\n"u8.ToArray());
            while ((await reader.ReadLineAsync())![3] == '-')
            {
            }

            for (int i = Interlocked.Increment(ref next); i < prepared.Length; i = Interlocked.Increment(ref next))
            {
                await stream.WriteAsync(prepared[i].Envelope);
                await ExpectAsync(reader, 3);
                await stream.WriteAsync(prepared[i].Content);
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

    private static byte[] Stuff(byte[] message)
    {
        var text = Encoding.UTF8.GetString(message).Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text + ".\r\n");
    }
}
