using OpenQA.Selenium.Chrome;

namespace PaperMailer.Testing;

/// <summary>
/// Debian's Chromium (<see cref="Chromium"/>), headless, driven through Debian's chromedriver (packages chromium and chromium-driver; .ci/run
/// installs them). Never downloads a browser. Started with the flags that keep it off the network it cannot reach.
/// </summary>
public static class Browser
{
    public const string ChromeDriverPath = "/usr/bin/chromedriver";
    public const string MissingReason = "No headless browser: /usr/bin/chromium and /usr/bin/chromedriver are missing (Debian packages chromium and chromium-driver).";

    public static bool Available => Chromium.Available && File.Exists(ChromeDriverPath);

    public static ChromeDriver Start(int width, int height, string profileFolder)
    {
        if (!Available) throw new InvalidOperationException(MissingReason);
        var options = new ChromeOptions { BinaryLocation = Chromium.Path };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--window-size={width},{height}", $"--user-data-dir={profileFolder}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}

/// <summary>A test that needs the headless browser: skipped with the reason without it, except on CI where it must run.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(Browser.Available, Browser.MissingReason);
    }
}
