using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven by Playwright for .NET (its driver ships inside the NuGet package; no browser is
/// ever downloaded). One instance per test, each with a fresh user-data directory, so no cookie or session carries
/// over between tests. When a journey fails, a screenshot of the page it stopped on is saved under the test output.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";
    /// <summary>Overrides <see cref="DefaultPath"/> (another Chromium build, same flags).</summary>
    public const string PathVariable = "TESSERA_CHROMIUM";

    /// <summary>
    /// Wait only until the navigation commits. Waiting for the load event after a POST-redirect-GET has timed out in CI
    /// with the page already on the expected address; the next step is a locator action, which waits for its element.
    /// </summary>
    public static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    /// <summary>
    /// Until the page is on an address <paramref name="url"/> accepts. Checked first: when the page is already there,
    /// WaitForURLAsync ignores WaitUntil = Commit and waits for load instead (microsoft/playwright-dotnet#3365), which a
    /// redirect chain that finished early (a pushed authorization request in front of it) turned into a 30 s timeout.
    /// </summary>
    public static async Task ArrivedAsync(IPage page, Func<string, bool> url)
    {
        if (url(page.Url)) return;
        await page.WaitForURLAsync(url, Committed);
    }

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _userDataDirectory;
    private readonly List<string> _consoleErrors = [];

    private Chromium(IPlaywright playwright, IBrowserContext context, IPage page, string userDataDirectory)
    {
        _playwright = playwright;
        _context = context;
        _userDataDirectory = userDataDirectory;
        Page = page;
        // CSP violations (form-action along a redirect chain, a blocked style) are reported on the console. The 404 of
        // the favicon Chromium asks every site for is not the pages' doing.
        page.Console += (_, message) =>
        {
            if (message.Type != "error" || message.Location.Contains("/favicon.ico", StringComparison.Ordinal)) return;
            lock (_consoleErrors) _consoleErrors.Add($"{message.Text} ({message.Location})");
        };
    }

    public IPage Page { get; }

    /// <summary>Errors the pages wrote to the browser console so far (a CSP violation shows up here).</summary>
    public IReadOnlyList<string> ConsoleErrors { get { lock (_consoleErrors) return [.. _consoleErrors]; } }

    /// <summary>Where failure screenshots go: a folder of the test output.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Starts Chromium; fails (never skips) with what to install when it is missing.</summary>
    /// <param name="viewport">The window's size; 1024×768 unless a test looks at a page at a given size.</param>
    /// <param name="locale">The browser's language (navigator.language and Accept-Language), when a test depends on it.</param>
    public static async Task<Chromium> LaunchAsync(string? executablePath = null, ViewportSize? viewport = null, string? locale = null)
    {
        var path = executablePath ?? Environment.GetEnvironmentVariable(PathVariable) ?? DefaultPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {path}. The browser tests need Debian's Chromium: apt-get update && apt-get install -y chromium " +
                $"(.ci/run installs it), or set {PathVariable} to a Chromium binary. They never download a browser.");
        }

        var userDataDirectory = Path.Combine(Path.GetTempPath(), "tessera-chromium", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(userDataDirectory);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(userDataDirectory, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = Flags,
                Timeout = 60_000,
                ViewportSize = viewport ?? new ViewportSize { Width = 1024, Height = 768 },
                Locale = locale,
            });
            // Generous: the suite shares two cores with the other test projects.
            context.SetDefaultTimeout(30_000);
            context.SetDefaultNavigationTimeout(30_000);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new Chromium(playwright, context, page, userDataDirectory);
        }
        catch
        {
            playwright.Dispose();
            DeleteQuietly(userDataDirectory);
            throw;
        }
    }

    /// <summary>
    /// Runs a journey on <see cref="Page"/>; if it throws, saves a full-page screenshot named after the test under
    /// <see cref="ScreenshotDirectory"/> and rethrows with the screenshot's path and the page's address in the message.
    /// </summary>
    public async Task RunAsync(Func<IPage, Task> journey, [CallerMemberName] string name = "")
    {
        try
        {
            await journey(Page);
        }
        catch (Exception failure)
        {
            var file = await ScreenshotAsync(name);
            var console = ConsoleErrors.Count == 0 ? "" : $"{Environment.NewLine}Console errors:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ConsoleErrors)}";
            throw new BrowserJourneyException(
                $"{failure.Message}{Environment.NewLine}Page: {Page.Url}{Environment.NewLine}Screenshot: {file ?? "(could not be taken)"}{console}", file, failure);
        }
    }

    private async Task<string?> ScreenshotAsync(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));
        var file = Path.Combine(ScreenshotDirectory, $"{safe}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
        try
        {
            Directory.CreateDirectory(ScreenshotDirectory);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Timeout = 10_000 });
            return file;
        }
        catch (PlaywrightException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _context.CloseAsync(); }
        finally
        {
            _playwright.Dispose();
            DeleteQuietly(_userDataDirectory);
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A browser journey failed; <see cref="ScreenshotPath"/> shows the page it stopped on.</summary>
public sealed class BrowserJourneyException(string message, string? screenshotPath, Exception inner) : Exception(message, inner)
{
    public string? ScreenshotPath { get; } = screenshotPath;
}
