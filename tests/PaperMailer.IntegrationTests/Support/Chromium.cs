using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PaperMailer.Testing;

/// <summary>
/// Debian's Chromium, headless, for rendering emails as a browser does. Each run gets a fresh profile folder and no
/// network services. Headless Chromium will not make its window narrower than 500px, so the email is laid out in
/// an iframe of the exact width asked for; a script in the host page measures it after load and writes the result
/// into the DOM, which Chromium prints (--dump-dom).
/// </summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public const string MissingReason = "No /usr/bin/chromium: the browser tests render emails in Debian's headless Chromium (apt-get install chromium).";

    public static bool Available => File.Exists(Path);

    /// <summary>Screenshots the email at <paramref name="width"/> and measures its layout there.</summary>
    public static async Task<LayoutReport> RenderAsync(string emailHtml, int width, string screenshotPath)
    {
        var work = Directory.CreateTempSubdirectory("papermailer-chromium-");
        try
        {
            // A first pass measures; its report gives the height the screenshot needs.
            var host = System.IO.Path.Combine(work.FullName, "host.html");
            await File.WriteAllTextAsync(host, HostPage(emailHtml, width));
            var dom = await RunAsync(work.FullName, $"--window-size={Math.Max(width, 500)},800", "--dump-dom", new Uri(host).AbsoluteUri);
            var report = Parse(dom);
            await RunAsync(work.FullName, $"--window-size={Math.Max(width, 500)},{report.Height + 20}", "--hide-scrollbars", $"--screenshot={screenshotPath}", new Uri(host).AbsoluteUri);
            return report;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static LayoutReport Parse(string dom)
    {
        var at = dom.IndexOf("id=\"layout-report\"", StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException("Chromium printed no layout report; the page did not finish loading.");
        var from = dom.IndexOf('>', at) + 1;
        var json = WebUtility.HtmlDecode(dom[from..dom.IndexOf("</pre>", from, StringComparison.Ordinal)]);
        return JsonSerializer.Deserialize<LayoutReport>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("The layout report is empty.");
    }

    /// <summary>
    /// The email in a same-origin iframe (srcdoc) of the given width, and a script that, once it has loaded, reports
    /// the iframe's viewport and document widths, the width of the 600px container, and every element whose box
    /// reaches past the viewport or whose content is wider than its box.
    /// </summary>
    private static string HostPage(string emailHtml, int width) => $$"""
        <!DOCTYPE html><html><head><meta charset="utf-8"></head>
        <body style="margin:0;background:#fff;">
        <iframe id="email" style="border:0;display:block;width:{{width}}px;height:800px;" srcdoc="{{WebUtility.HtmlEncode(emailHtml)}}"></iframe>
        <script>
        window.addEventListener('load', () => {
          const frame = document.getElementById('email');
          const doc = frame.contentDocument, win = frame.contentWindow;
          const viewport = win.innerWidth;
          const overflowing = [];
          for (const el of doc.body.querySelectorAll('*')) {
            const style = win.getComputedStyle(el);
            if (style.display === 'none') continue;
            const box = el.getBoundingClientRect();
            const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
            if (box.width > 0 && (box.right > viewport + 0.5 || box.left < -0.5)) overflowing.push(name + ' spans ' + Math.round(box.left) + '..' + Math.round(box.right));
            else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && style.overflowX !== 'visible') overflowing.push(name + ' clips content ' + el.scrollWidth + ' > ' + el.clientWidth);
          }
          const container = doc.querySelector('table[width="600"]');
          const height = doc.documentElement.scrollHeight;
          frame.style.height = height + 'px';
          const report = { viewport, documentWidth: doc.documentElement.scrollWidth, containerWidth: container ? container.getBoundingClientRect().width : -1, height, overflowing };
          const pre = document.createElement('pre');
          pre.id = 'layout-report';
          pre.style.display = 'none';
          pre.textContent = JSON.stringify(report);
          document.body.appendChild(pre);
        });
        </script></body></html>
        """;

    private static async Task<string> RunAsync(string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--force-device-scale-factor=1", "--virtual-time-budget=5000",
            $"--user-data-dir={System.IO.Path.Combine(profile, "profile")}",
        }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"Chromium exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}

public sealed record LayoutReport(double Viewport, double DocumentWidth, double ContainerWidth, int Height, List<string> Overflowing);

/// <summary>A test that needs Debian's Chromium: skipped with the reason without it, except on CI where it fails.</summary>
public sealed class ChromiumFactAttribute : TheoryAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(Chromium.Available, Chromium.MissingReason);
    }
}
