using System.Diagnostics;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.DigestRun;

/// <summary>
/// A real SMTP server (aiosmtpd, recording_smtp_server.py) of one test's own, so that counts are that test's alone and
/// the server can be told to refuse or to stall while a run is under way. It writes down every message it is given,
/// before it replies.
/// </summary>
public sealed class RecordingSmtpServer : IAsyncDisposable
{
    public const string MissingReason = "No /usr/bin/python3 with aiosmtpd (Debian package python3-aiosmtpd): the digest-run tests start an SMTP server of their own.";

    private readonly Process _process;
    private readonly string _log;
    private readonly string _control;

    /// <summary>The log's lines parsed so far (also the lock for reading it), and how many of its bytes they took.</summary>
    private readonly List<ReceivedMessage> _received = [];
    private long _logRead;

    private RecordingSmtpServer(Process process, int port, string log, string control) => (_process, Port, _log, _control) = (process, port, log, control);

    public int Port { get; }

    public static bool Available => PythonEmail.Available;

    /// <param name="papers">Also note the arXiv ids each message links to (costs the server a parse per message).</param>
    public static async Task<RecordingSmtpServer> StartAsync(string folder, bool papers = false)
    {
        var log = Path.Combine(folder, "smtp-received.log");
        var control = Path.Combine(folder, "smtp-control");
        var start = new ProcessStartInfo(PythonEmail.PythonPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFile("tests/PaperMailer.IntegrationTests/DigestRun/recording_smtp_server.py"));
        start.ArgumentList.Add("--log");
        start.ArgumentList.Add(log);
        start.ArgumentList.Add("--control");
        start.ArgumentList.Add(control);
        if (papers) start.ArgumentList.Add("--papers");
        var process = Process.Start(start) ?? throw new InvalidOperationException(MissingReason);
        var errors = process.StandardError.ReadToEndAsync();
        // Only against a hang: on a machine busy with other builds and tests, 20 s were once not enough to start Python.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The recording SMTP server did not say it was listening within 2 minutes.");
        }
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            await process.WaitForExitAsync(timeout.Token);
            throw new InvalidOperationException($"The recording SMTP server did not start: {await errors}");
        }
        return new RecordingSmtpServer(process, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture), log, control);
    }

    /// <summary>From now on every message is refused with <paramref name="reply"/> after DATA.</summary>
    public void Refuse(string reply = "451 4.3.0 Try again later: the test server refuses for now") =>
        File.WriteAllText(Path.Combine(_control, "refuse"), reply);

    public void Accept() => File.Delete(Path.Combine(_control, "refuse"));

    /// <summary>From now on each message waits this long after DATA before it is taken (or refused).</summary>
    public void Stall(TimeSpan delay) =>
        File.WriteAllText(Path.Combine(_control, "delay"), delay.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void NoStall() => File.Delete(Path.Combine(_control, "delay"));

    /// <summary>Every message the server was given so far, in order, and connections opened (code 1) and closed (code 2).</summary>
    public IReadOnlyList<ReceivedMessage> Received()
    {
        lock (_received)
        {
            ReadNewLines();
            return [.. _received];
        }
    }

    /// <summary>
    /// Parses what the server appended to its log since the last read. Tests poll the log every few milliseconds while
    /// tens of thousands of messages arrive; parsing it whole each time would take a core from the processes under test.
    /// </summary>
    private void ReadNewLines()
    {
        if (!File.Exists(_log)) return;
        using var stream = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = _logRead;
        var added = new byte[stream.Length - _logRead];
        stream.ReadExactly(added);
        // Only whole lines: one being written has no newline yet, and the next read has it whole.
        var end = Array.LastIndexOf(added, (byte)'\n') + 1;
        if (end == 0) return;
        _logRead += end;
        foreach (var line in System.Text.Encoding.UTF8.GetString(added, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            _received.Add(new ReceivedMessage(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[1], f[2],
                f[3].Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }
    }

    /// <summary>Messages taken (250).</summary>
    public IReadOnlyList<ReceivedMessage> Accepted() => Received().Where(m => m.Code == 250).ToList();

    /// <summary>Connections open now.</summary>
    public static int OpenConnections(IReadOnlyList<ReceivedMessage> received) => received.Count(m => m.Code == 1) - received.Count(m => m.Code == 2);

    /// <summary>Waits until no client is connected (e.g. the kernel has closed a killed client's connections): nothing more can arrive.</summary>
    public Task<IReadOnlyList<ReceivedMessage>> WaitUntilIdleAsync(TimeSpan timeout) =>
        WaitUntilAsync(r => OpenConnections(r) == 0, timeout, "every client to be gone");

    /// <summary>Waits until the messages received so far satisfy <paramref name="condition"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitUntilAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = Received();
            if (condition(received)) return received;
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; the server has {received.Count} messages.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>A file of the repository these tests were built from (found upwards from the test binaries).</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}.");
    }
}

/// <param name="Code">250 taken, 4xx/5xx refused; 1 a connection opened, 2 one closed.</param>
/// <param name="Recipients">The envelope recipients, comma-separated.</param>
/// <param name="Papers">The arXiv ids the message links to (only when the server was started to note them).</param>
public sealed record ReceivedMessage(int Code, string Recipients, string MessageId, IReadOnlyList<string> Papers);
