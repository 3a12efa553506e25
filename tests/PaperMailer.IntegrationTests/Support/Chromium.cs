using System.Net;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace PaperMailer.Testing;

/// <summary>
/// Debian's Chromium, headless, for rendering emails as a browser does: one browser (driven through Debian's
/// chromedriver) per test class, shared by its tests as a class fixture, with a fresh profile folder and no network
/// services. Starting the browser is most of the cost of a layout, and each layout loads a page of its own, so
/// sharing it changes nothing a test measures. Headless Chromium will not make its window narrower than 500px, so
/// the email is laid out in an iframe of the exact width asked for; a script in the host page measures it after
/// load and writes the result into the DOM.
/// </summary>
public sealed class Chromium : IDisposable
{
    public const string Path = "/usr/bin/chromium";

    public const string MissingReason = "No headless browser: /usr/bin/chromium and /usr/bin/chromedriver are missing (Debian packages chromium and chromium-driver); the browser tests render emails in it.";

    public static bool Available => File.Exists(Path) && File.Exists(Browser.ChromeDriverPath);

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("papermailer-chromium-");
    private readonly Lazy<ChromeDriver> _driver;

    public Chromium() => _driver = new(Start);

    /// <summary>Screenshots the email at <paramref name="width"/> and measures its layout there.</summary>
    public async Task<LayoutReport> RenderAsync(string emailHtml, int width, string screenshotPath)
    {
        var driver = _driver.Value;
        var host = System.IO.Path.Combine(_work.FullName, $"host-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(host, HostPage(emailHtml, width));
        // A first look measures in an 800px-high viewport; its report gives the height the screenshot needs. The viewport
        // is set through DevTools rather than by resizing the window: chromedriver's window resize once hung on a busy machine.
        Viewport(driver, Math.Max(width, 500), 800);
        driver.Navigate().GoToUrl(new Uri(host).AbsoluteUri);
        var report = Parse(await WaitForReportAsync(driver));
        // The screenshot: a viewport the whole email fits in, scrollbars hidden; then shown again for the next layout.
        Viewport(driver, Math.Max(width, 500), report.Height + 20);
        driver.ExecuteCdpCommand("Emulation.setScrollbarsHidden", new Dictionary<string, object?> { ["hidden"] = true });
        await File.WriteAllBytesAsync(screenshotPath, driver.GetScreenshot().AsByteArray);
        driver.ExecuteCdpCommand("Emulation.setScrollbarsHidden", new Dictionary<string, object?> { ["hidden"] = false });
        return report;
    }

    public void Dispose()
    {
        if (_driver.IsValueCreated)
        {
            _driver.Value.Quit();
            _driver.Value.Dispose();
        }
        _work.Delete(recursive: true);
    }

    private ChromeDriver Start()
    {
        if (!Available) throw new InvalidOperationException(MissingReason);
        var options = new ChromeOptions { BinaryLocation = Path };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--force-device-scale-factor=1", "--window-size=500,800",
            $"--user-data-dir={System.IO.Path.Combine(_work.FullName, "profile")}");
        var service = ChromeDriverService.CreateDefaultService(System.IO.Path.GetDirectoryName(Browser.ChromeDriverPath)!, System.IO.Path.GetFileName(Browser.ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    private static void Viewport(ChromeDriver driver, int width, int height) =>
        driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });

    /// <summary>The host page's report, once its load handler has written it.</summary>
    private static async Task<string> WaitForReportAsync(ChromeDriver driver)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (driver.FindElements(By.Id("layout-report")).Count > 0) return driver.PageSource;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("Chromium printed no layout report; the page did not finish loading.");
            await Task.Delay(20);
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
}

public sealed record LayoutReport(double Viewport, double DocumentWidth, double ContainerWidth, int Height, List<string> Overflowing);

/// <summary>A test that needs Debian's Chromium and chromedriver: skipped with the reason without them, except on CI where it fails.</summary>
public sealed class ChromiumFactAttribute : TheoryAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(Chromium.Available, Chromium.MissingReason);
    }
}
