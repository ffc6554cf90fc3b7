using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;

namespace Tessera.Browser.Tests.Pages;

/// <summary>
/// Checks the page a browser shows with axe-core (its own script, injected by Deque.AxeCore.Playwright) against the
/// WCAG 2.0, 2.1 and 2.2 A and AA rules, in the light and in the dark colour scheme, and saves a full-page screenshot of
/// each; and that the page does not scroll sideways. Fails listing every serious or critical violation; moderate and
/// minor ones are left to review.
/// </summary>
public static class PageAudit
{
    /// <summary>Overrides where the screenshots go (a CI artifact folder).</summary>
    public const string ScreenshotsVariable = "TESSERA_SCREENSHOTS";

    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <param name="name">The page, as the screenshot's file name starts: sign-in, consent, …</param>
    public static async Task AssertAccessibleAsync(IPage page, string name, string culture)
    {
        await LoadedAsync(page);
        var viewport = page.ViewportSize ?? throw new InvalidOperationException("the page has no viewport");
        var file = $"{name}-{culture}-{viewport.Width}x{viewport.Height}";
        var problems = new List<string>();
        // Contrast differs per scheme (the stylesheet has its own dark palette), so both are checked.
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            problems.AddRange(await SeriousViolationsAsync(page, scheme));
            await ScreenshotAsync(page, scheme == ColorScheme.Light ? file : file + "-dark");
        }
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        // WCAG 1.4.10 Reflow, which axe does not check: at a phone's width nothing may push the page sideways.
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 0) problems.Add($"  [serious] reflow: the page is {overflow} px wider than the window and scrolls sideways (WCAG 1.4.10)");
        problems.AddRange(await LanguageProblemsAsync(page, culture));

        if (problems.Count > 0)
        {
            Assert.Fail($"{problems.Count} serious or critical accessibility problem(s) on {name} ({page.Url}, {culture}, " +
                $"{viewport.Width}x{viewport.Height}); screenshot {Path.Combine(ScreenshotDirectory, file)}.png:{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>
    /// WCAG 3.1.1 and issue 20: the page says its language in <c>lang</c>, and it is the one asked for — a Chinese page's
    /// heading is in Chinese, an English page's has no Chinese in it.
    /// </summary>
    private static async Task<IEnumerable<string>> LanguageProblemsAsync(IPage page, string culture)
    {
        var problems = new List<string>();
        var lang = await page.GetAttributeAsync("html", "lang");
        if (lang != culture) problems.Add($"  [serious] language: <html lang=\"{lang}\"> on a page asked for in {culture}");
        var heading = await page.TextContentAsync("h1") ?? "";
        var chinese = System.Text.RegularExpressions.Regex.IsMatch(heading, @"\p{IsCJKUnifiedIdeographs}");
        if (chinese != culture.StartsWith("zh", StringComparison.Ordinal))
            problems.Add($"  [serious] language: the heading \"{heading}\" is not in {culture}");
        return problems;
    }

    /// <summary>
    /// Until the document and its stylesheet have loaded: axe reads the styles (contrast) and the screenshot shows the
    /// result. Asked of the document itself: Playwright's load state has been seen never to arrive after a
    /// POST-redirect-GET with the page already there (see <see cref="Chromium.Committed"/>). Polled from here rather
    /// than with WaitForFunctionAsync, whose in-page polling builds its predicate with eval, which the pages' CSP
    /// (script-src 'self') refuses when the page is still loading at the first try (seen once in CI).
    /// </summary>
    public static async Task LoadedAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                if (await page.EvaluateAsync<string>("document.readyState") == "complete") return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // A navigation replaced the document between two polls: ask the new one.
            }
            if (DateTime.UtcNow >= deadline) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{page.Url} did not finish loading within 30 s");
    }

    private static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, ColorScheme scheme)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        });
        return result.Violations
            .Where(violation => FailingImpacts.Contains(violation.Impact))
            .Select(violation =>
                $"  [{violation.Impact}] {violation.Id} ({scheme} scheme): {violation.Help} <{violation.HelpUrl}>{Environment.NewLine}" +
                string.Join(Environment.NewLine, violation.Nodes.Select(node => $"      at {node.Target}: {Why(node)}")));
    }

    /// <summary>What axe's checks said about one element (the colours and ratio, the missing name, …).</summary>
    private static string Why(AxeResultNode node) =>
        string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message).Distinct());

    private static async Task ScreenshotAsync(IPage page, string file)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotDirectory, file + ".png"), FullPage = true, Timeout = 10_000,
        });
    }
}
