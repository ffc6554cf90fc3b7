using Tessera.Browser.Tests.Infrastructure;

namespace Tessera.Browser.Tests;

/// <summary>The harness itself: a missing browser fails loudly, and a failed journey leaves a screenshot behind.</summary>
[Collection(SignInCollection.Name)]
public sealed class ChromiumHarnessTests(SignInFixture fixture)
{
    [Fact]
    public async Task A_missing_Chromium_fails_the_test_with_what_to_install_instead_of_skipping_it()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Chromium.LaunchAsync("/nonexistent/chromium"));

        Assert.Contains("/nonexistent/chromium", failure.Message);
        Assert.Contains("apt-get install -y chromium", failure.Message);
    }

    [Fact]
    public async Task A_journey_that_fails_saves_a_screenshot_of_the_page_it_stopped_on_under_the_test_output()
    {
        await using var chromium = await Chromium.LaunchAsync();

        var failure = await Assert.ThrowsAsync<BrowserJourneyException>(() => chromium.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(fixture.Server.BaseAddress, "/account/sign-in").ToString());
            await page.ClickAsync("#no-such-button", new() { Timeout = 500 });
        }));

        try
        {
            Assert.IsType<TimeoutException>(failure.InnerException);
            Assert.NotNull(failure.ScreenshotPath);
            Assert.StartsWith(Chromium.ScreenshotDirectory, failure.ScreenshotPath);
            Assert.Contains(failure.ScreenshotPath, failure.Message);
            Assert.Contains("/account/sign-in", failure.Message);
            var png = await File.ReadAllBytesAsync(failure.ScreenshotPath);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }
        finally
        {
            // Not a real failure: leave the folder to the screenshots of tests that did fail.
            if (failure.ScreenshotPath is not null) File.Delete(failure.ScreenshotPath);
        }
    }
}
