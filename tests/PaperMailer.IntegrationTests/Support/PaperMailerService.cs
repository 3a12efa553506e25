using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PaperMailer.Testing;

/// <summary>
/// `papermailer run` as a separate process on a free local port, with its own folder for outbox and signing key, and a
/// <see cref="TestStore"/> of its own unless its settings name a database (a site's or a cluster's).
/// </summary>
public sealed class PaperMailerService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TestStore? _store;
    private readonly System.Text.StringBuilder _output = new();

    public string Folder { get; }
    public Uri BaseUrl { get; }
    public string[] Settings { get; }

    private PaperMailerService(Process process, TestStore? store, string folder, Uri baseUrl, string[] settings) =>
        (_process, _store, Folder, BaseUrl, Settings) = (process, store, folder, baseUrl, settings);

    /// <summary>What the service printed so far (its log).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <param name="moreSettings">Configuration arguments after the defaults (the last value of a key wins).</param>
    public static async Task<PaperMailerService> StartAsync(string folder, IReadOnlyList<string>? moreSettings = null)
    {
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var store = moreSettings?.Any(s => s.StartsWith("--Storage:ConnectionString=", StringComparison.Ordinal)) == true ? null : await TestStore.CreateAsync(folder);
        string[] settings =
        [
            .. store?.Arguments ?? [],
            $"--Delivery:OutboxDirectory={Path.Combine(folder, "outbox")}",
            $"--Web:SigningKeyFile={Path.Combine(folder, "signing.key")}",
            $"--Web:PublicBaseUrl={baseUrl.ToString().TrimEnd('/')}",
            $"--Collect:Files:0={Path.Combine(AppContext.BaseDirectory, "samples", "hf-daily-papers.json")}",
            "--Schedule:FirstDigestCheckDelay=01:00:00",
            // Tests never reach the internet: the network sources stay off.
            "--Sources:HuggingFace:Enabled=false",
            "--Sources:Arxiv:Enabled=false",
            "--Sources:ArxivFeed:Enabled=false",
        ];
        var start = new ProcessStartInfo(PaperMailerProgram.DotnetHost) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        PaperMailerProgram.UseTestRuntime(start);
        start.ArgumentList.Add(PaperMailerProgram.Path);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add($"--urls={baseUrl}");
        settings = [.. settings, .. moreSettings ?? []];
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        var process = Process.Start(start)!;
        var service = new PaperMailerService(process, store, folder, baseUrl, settings);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilAnsweringAsync(process, service, baseUrl);
            return service;
        }
        catch
        {
            // A service that never answered is not left running after the test.
            await service.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilAnsweringAsync(Process process, PaperMailerService service, Uri baseUrl)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        // Only against a hang: beside other builds and tests on a 2-core machine, a start once took longer than a minute.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(process.HasExited, $"papermailer run exited during start-up:\n{service.Output}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Assert.True(DateTime.UtcNow < deadline, $"papermailer run did not answer within 2 minutes:\n{service.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code once it has ended (fails the test after <paramref name="timeout"/>).</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"papermailer run did not stop within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_store is not null) await _store.DisposeAsync();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
