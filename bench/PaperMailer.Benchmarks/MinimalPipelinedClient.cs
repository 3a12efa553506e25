using System.Net.Sockets;
using System.Text;
using MimeKit;
using PaperMailer.Deliver.Mime;

namespace PaperMailer.Benchmarks;

/// <summary>
/// The ceiling: the least an SMTP client can do per message. Messages are written to bytes beforehand; each
/// connection sends MAIL, RCPT and DATA in one write, then the content, and reads only the reply codes. No TLS,
/// no RSET, no timeouts, no error handling beyond stopping: a yardstick, not a client.
/// </summary>
internal sealed class MinimalPipelinedClient : IAsyncDisposable
{
    private readonly List<(TcpClient Client, NetworkStream Stream, StreamReader Reader)> _connections;

    private MinimalPipelinedClient(List<(TcpClient, NetworkStream, StreamReader)> connections) => _connections = connections;

    /// <summary>The envelope commands and the dot-stuffed content of each message, ready to write.</summary>
    public static (byte[] Envelope, byte[] Content)[] Prepare(IEnumerable<MimeMessage> messages) =>
    [
        .. messages.Select(m => (
            Encoding.ASCII.GetBytes($"MAIL FROM:<{m.From.Mailboxes.Single().Address}>\r\nRCPT TO:<{m.To.Mailboxes.Single().Address}>\r\nDATA\r\n"),
            Stuff(m))),
    ];

    public static async Task<MinimalPipelinedClient> ConnectAsync(string host, int port, int connections)
    {
        var open = new List<(TcpClient, NetworkStream, StreamReader)>();
        for (int i = 0; i < connections; i++)
        {
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(host, port);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            await ExpectAsync(reader, 1);   // greeting
            await stream.WriteAsync("EHLO bench.localhost\r\n"u8.ToArray());
            while ((await reader.ReadLineAsync())![3] == '-')
            {
            }

            open.Add((client, stream, reader));
        }

        return new MinimalPipelinedClient(open);
    }

    /// <summary>Sends the messages over every connection at once, each taking the next message when it is free.</summary>
    public async Task SendAsync(ArraySegment<(byte[] Envelope, byte[] Content)> prepared)
    {
        int next = -1;
        await Task.WhenAll(_connections.Select(async connection =>
        {
            for (int i = Interlocked.Increment(ref next); i < prepared.Count; i = Interlocked.Increment(ref next))
            {
                await connection.Stream.WriteAsync(prepared[i].Envelope);
                await ExpectAsync(connection.Reader, 3);
                await connection.Stream.WriteAsync(prepared[i].Content);
                await ExpectAsync(connection.Reader, 1);
            }
        }));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (client, stream, _) in _connections)
        {
            await stream.WriteAsync("QUIT\r\n"u8.ToArray());
            client.Dispose();
        }
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

    private static byte[] Stuff(MimeMessage message)
    {
        using var output = new MemoryStream();
        message.WriteTo(WireFormat.Options, output);
        var text = Encoding.UTF8.GetString(output.ToArray());
        text = (text.StartsWith('.') ? "." : "") + text.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text + (text.EndsWith("\r\n", StringComparison.Ordinal) ? "" : "\r\n") + ".\r\n");
    }
}
