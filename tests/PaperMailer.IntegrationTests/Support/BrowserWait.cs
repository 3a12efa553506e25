using OpenQA.Selenium;

namespace PaperMailer.Testing;

/// <summary>Waits for a page in the browser to show something, as a person would look until it does.</summary>
public static class BrowserWait
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Holds(condition))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>While a form's answer loads, the old page's elements go stale or the new one's are not there yet: not yet, not a failure.</summary>
    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (Exception error) when (error is StaleElementReferenceException or NoSuchElementException)
        {
            return false;
        }
    }
}
