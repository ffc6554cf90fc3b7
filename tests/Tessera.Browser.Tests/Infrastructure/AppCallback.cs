using Microsoft.Playwright;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>The end of an authorization request in Chromium: consent if Tessera asks for it, then the app's callback.</summary>
public static class AppCallback
{
    /// <summary>Allows on the consent page when it comes; returns the callback address the browser landed on.</summary>
    public static async Task<Uri> ReachAsync(IPage page, Uri redirectUri)
    {
        var callback = redirectUri.ToString();
        await page.WaitForURLAsync(url => url.StartsWith(callback + "?", StringComparison.Ordinal) || url.Contains("/consent", StringComparison.Ordinal), Chromium.Committed);
        if (page.Url.Contains("/consent", StringComparison.Ordinal)) await page.ClickAsync("button[name=decision][value=allow]");
        await page.WaitForURLAsync(url => url.StartsWith(callback + "?", StringComparison.Ordinal), Chromium.Committed);
        return new Uri(page.Url);
    }
}
