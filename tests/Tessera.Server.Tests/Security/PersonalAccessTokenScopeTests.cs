using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// A personal access token carries only scopes of APIs that opted in (<c>"personalAccessTokens": true</c>); in the
/// test import <c>messages</c> and <c>ledger</c> do, <c>inventory</c> and <c>internal</c> do not.
/// </summary>
public abstract class PersonalAccessTokenScopeTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("inventory")]
    [InlineData("internal")]
    public async Task A_personal_access_token_cannot_carry_a_scope_of_an_api_that_did_not_opt_in(string scope)
    {
        // The attack: alice gives herself a scope no client would get her, next to ones she may have.
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);

        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "escalate", scopes = new[] { "message", scope }, expires_in_days = 1 });

        Assert.Equal(400, created.Status);
        Assert.Equal("invalid_scope", created.Error);
        Assert.Equal($"scope '{scope}' cannot be granted to a personal access token", created.ErrorDescription);
        Assert.DoesNotContain((await PatApi.ListAsync(Protocol, bearer)).Json["tokens"]!.AsArray(), t => (string?)t!["name"] == "escalate");
    }

    [Fact]
    public async Task The_account_page_neither_offers_nor_accepts_a_scope_of_an_api_that_did_not_opt_in()
    {
        using var browser = new Browser(Server);
        var page = await browser.FollowAsync(await browser.GetAsync("/account/tokens"));
        page = await browser.FollowAsync(await browser.SubmitAsync(page, page.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", page.Field("returnUrl")!)]));
        Assert.Contains("value=\"message\"", page.Html);
        Assert.DoesNotContain("value=\"inventory\"", page.Html);

        var created = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "page-escalate"), ("scopes", "inventory"), ("days", "1")]);

        Assert.Matches("<p role=\"alert\" id=\"problem\"[^>]*>scope &#x27;inventory&#x27; cannot be granted to a personal access token</p>", created.Html);
        Assert.DoesNotContain("id=\"new-token\"", created.Html);
    }

    [Fact]
    public async Task A_personal_access_token_stops_granting_the_scopes_of_an_api_that_opts_out()
    {
        var name = "opt-out-" + Guid.NewGuid().ToString("n")[..8];
        var api = new JsonObject
        {
            ["name"] = name, ["audience"] = $"https://api.example/{name}", ["scopes"] = new JsonArray(name), ["personalAccessTokens"] = true,
        };
        Assert.Equal(201, (await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/apis", api)).Status);
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var pat = (string)(await PatApi.CreateAsync(Protocol, bearer, new { name, scopes = new[] { name }, expires_in_days = 1 })).Json["token"]!;
        // The PAT was made through the web client: introspection answers that client.
        Assert.True((await Protocol.IntrospectAsync(PeopleImport.Web, PeopleImport.WebSecret, pat)).Active);

        api["personalAccessTokens"] = false;
        var changed = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Put, $"/admin/apis/{name}", api);

        Assert.Equal(200, changed.Status);
        Assert.False((bool?)changed.Json["personalAccessTokens"]);
        Assert.False((await Protocol.IntrospectAsync(PeopleImport.Web, PeopleImport.WebSecret, pat)).Active);
    }

    [Fact]
    public async Task An_api_does_not_accept_personal_access_tokens_unless_it_says_so()
    {
        var name = "default-" + Guid.NewGuid().ToString("n")[..8];
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/apis",
            new { name, audience = $"https://api.example/{name}", scopes = new[] { name } });
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);

        var pat = await PatApi.CreateAsync(Protocol, bearer, new { name, scopes = new[] { name }, expires_in_days = 1 });

        Assert.Equal(201, created.Status);
        Assert.False((bool?)created.Json["personalAccessTokens"]);
        Assert.Equal("invalid_scope", pat.Error);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PersonalAccessTokenScopeTests_Sqlite(SqlitePeopleFixture f) : PersonalAccessTokenScopeTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PersonalAccessTokenScopeTests_Postgres(PostgresPeopleFixture f) : PersonalAccessTokenScopeTests(f.Server);
