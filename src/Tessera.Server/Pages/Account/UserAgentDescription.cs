namespace Tessera.Server.Pages.Account;

/// <summary>
/// "Firefox on Windows" from a User-Agent header, for the account page's session list: only enough to tell one's own
/// devices apart. The header is whatever the client sent, so this is a hint, never evidence.
/// </summary>
internal static class UserAgentDescription
{
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari, Android also says Linux.
    private static readonly (string Token, string Name)[] Browsers =
        [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")];

    private static readonly (string Token, string Name)[] Systems =
        [("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Mac OS X", "macOS"), ("Android", "Android"), ("CrOS", "ChromeOS"), ("Linux", "Linux")];

    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Unknown device";
        var browser = Browsers.FirstOrDefault(b => userAgent.Contains(b.Token, StringComparison.Ordinal)).Name;
        var system = Systems.FirstOrDefault(s => userAgent.Contains(s.Token, StringComparison.Ordinal)).Name;
        return (browser, system) switch
        {
            (null, null) => "Unknown browser",
            (null, _) => $"A browser on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
    }
}
