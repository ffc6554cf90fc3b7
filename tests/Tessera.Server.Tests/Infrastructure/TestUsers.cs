using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>A user of one test only, made through the admin API, so disabling them or changing their password disturbs no other test.</summary>
public sealed record TestUser(string Username, string Password)
{
    public static async Task<TestUser> CreateAsync(ProtocolClient protocol, string prefix = "dan")
    {
        var user = new TestUser($"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 9)], "Dan-test-pass-1");
        var created = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users", new { username = user.Username, password = user.Password });
        if (created.Status != 201) throw new InvalidOperationException(created.Json.ToJsonString());
        return user;
    }

    /// <summary>Signs in on the sign-in page of <paramref name="browser"/>'s server; the page after the sign-in.</summary>
    public async Task<Browser.Page> SignInAsync(Browser browser, string? password = null)
    {
        var page = await browser.GetAsync("/account/sign-in?returnUrl=%2Faccount");
        return await browser.SubmitAsync(page, "/account/sign-in", [("username", Username), ("password", password ?? Password), ("returnUrl", "/account")]);
    }

    /// <summary>The code flow at the web client in <paramref name="browser"/> (signing in and consenting as needed): the authorization code.</summary>
    public async Task<string> CodeAsync(Browser browser, string scope) =>
        Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null), username: Username, password: Password))["code"];

    /// <summary>The code flow at the web client, redeemed: the token response.</summary>
    public async Task<ProtocolResponse> WebTokensAsync(Browser browser, ProtocolClient protocol, string scope)
    {
        var code = await CodeAsync(browser, scope);
        return await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
    }

    /// <summary>A personal access token for the ledger API, created through /api/pats.</summary>
    public async Task<string> PersonalAccessTokenAsync(Browser browser, ProtocolClient protocol)
    {
        var bearer = (await WebTokensAsync(browser, protocol, "tessera:pats")).AccessToken;
        var created = await PatApi.CreateAsync(protocol, bearer, new { name = "script", scopes = new[] { "ledger" }, expires_in_days = 1 });
        return (string?)created.Json["token"] ?? throw new InvalidOperationException(created.Json.ToJsonString());
    }
}
