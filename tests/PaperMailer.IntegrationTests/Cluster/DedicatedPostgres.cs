using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// A PostgreSQL server of one test's own (initdb in a temporary folder, a free port, trust authentication on
/// 127.0.0.1), so that the test can restart it under running nodes without disturbing the shared test server. Run as
/// the folder's owner: Debian's "postgres" user when the tests run as root (initdb refuses root).
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    public const string MissingReason = "No PostgreSQL server binaries (Debian package postgresql, /usr/lib/postgresql/*/bin): the test restarts a server of its own.";

    private readonly string _bin;
    private readonly string _folder;
    private readonly int _port;

    private DedicatedPostgres(string bin, string folder, int port) => (_bin, _folder, _port) = (bin, folder, port);

    public static string? BinFolder => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderBy(b => b, StringComparer.Ordinal).LastOrDefault()
        : null;

    public static bool Available => BinFolder is not null && (Environment.UserName != "root" || File.Exists("/usr/sbin/runuser"));

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=papermailer;Database=papermailer;Timeout=5";

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var bin = BinFolder ?? throw new InvalidOperationException(MissingReason);
        var folder = Directory.CreateTempSubdirectory("papermailer-pg-").FullName;
        // The server's owner must reach the folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var server = new DedicatedPostgres(bin, folder, FreePort());
        await server.AsOwnerAsync("initdb", "-D", server.Data, "-U", "papermailer", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await server.AsOwnerAsync("pg_ctl", "start", "-w", "-t", "60", "-D", server.Data, "-l", Path.Combine(folder, "server.log"), "-o",
            $"-c listen_addresses=127.0.0.1 -c port={server._port} -c unix_socket_directories={folder} -c fsync=off -c max_connections=200");
        await server.AsOwnerAsync("createdb", "-h", "127.0.0.1", "-p", server._port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "papermailer", "papermailer");
        return server;
    }

    private string Data => Path.Combine(_folder, "data");

    /// <summary>Stops the server (fast: open connections are cut, as in a real restart) and starts it again.</summary>
    public Task RestartAsync() => AsOwnerAsync("pg_ctl", "restart", "-m", "fast", "-w", "-t", "60", "-D", Data);

    private async Task AsOwnerAsync(string program, params string[] arguments)
    {
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("/usr/sbin/runuser") { ArgumentList = { "-u", "postgres", "--", Path.Combine(_bin, program) } }
            : new ProcessStartInfo(Path.Combine(_bin, program));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await output}{await errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsOwnerAsync("pg_ctl", "stop", "-m", "immediate", "-w", "-D", Data);
        }
        catch (InvalidOperationException)
        {
            // Not running (a failed start).
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
