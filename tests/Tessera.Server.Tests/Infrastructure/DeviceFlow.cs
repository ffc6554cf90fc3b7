using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>Drives RFC 8628 over HTTP: the device asks and polls; a user signs in on the device page and decides.</summary>
public static class DeviceFlow
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    public static Task<ProtocolResponse> AuthorizeAsync(ProtocolClient protocol, string scope, string clientId = PeopleImport.Cli) =>
        protocol.PostAsync("/connect/device", null, ("client_id", clientId), ("scope", scope));

    public static Task<ProtocolResponse> PollAsync(ProtocolClient protocol, string deviceCode, string clientId = PeopleImport.Cli) =>
        protocol.PostAsync("/connect/token", null, ("grant_type", GrantType), ("client_id", clientId), ("device_code", deviceCode));

    public static string DeviceCode(ProtocolResponse response) => (string)response.Json["device_code"]!;
    public static string UserCode(ProtocolResponse response) => (string)response.Json["user_code"]!;

    /// <summary>Opens the device page, signing in on the way when the page asks for it.</summary>
    public static async Task<Browser.Page> OpenAsync(
        Browser browser, string pathAndQuery = "/device", string username = PeopleImport.Alice, string password = PeopleImport.AlicePassword)
    {
        var page = await browser.FollowAsync(await browser.GetAsync(pathAndQuery));
        if (page.RequestPath.StartsWith("/account/sign-in", StringComparison.Ordinal))
        {
            page = await browser.SubmitAsync(page, page.RequestPath, [("username", username), ("password", password), ("returnUrl", page.Field("returnUrl")!)]);
            page = await browser.FollowAsync(page);
        }
        return page;
    }

    /// <summary>Submits the code field with the form's submit button.</summary>
    public static Task<Browser.Page> EnterAsync(Browser browser, Browser.Page page, string userCode) =>
        browser.SubmitAsync(page, "/device", [("user_code", userCode)]);

    /// <summary>Presses one of the confirmation's decision buttons.</summary>
    public static Task<Browser.Page> DecideAsync(Browser browser, Browser.Page confirmation, string decision) =>
        browser.SubmitAsync(confirmation, "/device", [("user_code", confirmation.Field("user_code")!), ("decision", decision)]);

    /// <summary>Alice signs in on a new browser, enters the code and allows or denies it.</summary>
    public static async Task<Browser.Page> UserDecidesAsync(TesseraServer server, string userCode, string decision)
    {
        using var browser = new Browser(server);
        var confirmation = await EnterAsync(browser, await OpenAsync(browser), userCode);
        return await DecideAsync(browser, confirmation, decision);
    }
}
