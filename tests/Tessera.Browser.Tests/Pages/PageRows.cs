namespace Tessera.Browser.Tests.Pages;

/// <summary>
/// The cultures and window sizes every page is looked at in: each test runs once per culture and size. A culture is
/// passed to the browser as its locale, so Accept-Language asks the pages for it.
/// </summary>
public static class PageRows
{
    /// <summary>Adding a translation is one more line here.</summary>
    public static readonly string[] Cultures =
    [
        "en",
        "zh-CN",
    ];

    /// <summary>A laptop and a phone (WCAG 1.4.10: the pages must reflow to a narrow window without losing anything).</summary>
    public static readonly (int Width, int Height)[] Sizes = [(1280, 800), (390, 844)];

    public static TheoryData<string, int, int> All()
    {
        var rows = new TheoryData<string, int, int>();
        foreach (var culture in Cultures)
            foreach (var (width, height) in Sizes)
                rows.Add(culture, width, height);
        return rows;
    }
}
