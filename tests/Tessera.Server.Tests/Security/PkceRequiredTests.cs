using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// RFC 9700 §2.1.1 (OAuth 2.1): every client uses PKCE — confidential ones too, since a stolen code is otherwise
/// redeemable by anyone holding the secret (or injectable into the client's own session) — unless the operator
/// opts a confidential client out with <c>"requirePkce": false</c>.
/// </summary>
public abstract class PkceRequiredTests(TesseraServer server) : ServerTest(server)
{
    private const string Redirect = "http://127.0.0.1:4417/callback";

    private static object Registration(string id, bool? requirePkce, bool isPublic = false) => new
    {
        clientId = id, grantTypes = new[] { "authorization_code" }, redirectUris = new[] { Redirect },
        scopes = new[] { "openid", "message" }, requireConsent = false, requirePkce, @public = isPublic,
    };

    private async Task<string> RegisterAsync(string id, bool? requirePkce)
    {
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", Registration(id, requirePkce));
        Assert.Equal(201, created.Status);
        return (string)created.Json["clientSecret"]!;
    }

    [Fact]
    public async Task A_confidential_client_without_a_code_challenge_is_refused_by_default()
    {
        var id = "pkce-default-" + Guid.NewGuid().ToString("n")[..8];
        await RegisterAsync(id, requirePkce: null);
        using var browser = new Browser(Server);

        var refused = Callback(await browser.GetAsync(AuthorizeUrl(id, Redirect, "openid message", null)));

        Assert.Equal("invalid_request", refused["error"]);
        Assert.Equal("code_challenge is required: this client must use PKCE (RFC 9700 §2.1.1)", refused["error_description"]);
        Assert.True((bool)(await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, $"/admin/clients/{id}", null)).Json["requirePkce"]!);
    }

    [Fact]
    public async Task A_confidential_client_opted_out_may_omit_pkce_until_the_opt_out_is_withdrawn()
    {
        var id = "pkce-optout-" + Guid.NewGuid().ToString("n")[..8];
        var secret = await RegisterAsync(id, requirePkce: false);
        using var browser = new Browser(Server);
        var first = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(id, Redirect, "openid message", null)))["code"];
        Assert.Equal(200, (await Protocol.TokenAsync(id, secret, ("grant_type", "authorization_code"), ("code", first), ("redirect_uri", Redirect))).Status);
        var second = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(id, Redirect, "openid message", null)))["code"];

        // The operator withdraws the opt-out while a code issued without a challenge is still unredeemed.
        var updated = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Put, $"/admin/clients/{id}", Registration(id, requirePkce: true));
        Assert.Equal(200, updated.Status);
        var redeemed = await Protocol.TokenAsync(id, secret, ("grant_type", "authorization_code"), ("code", second), ("redirect_uri", Redirect));

        Assert.Equal("invalid_grant", redeemed.Error);
        Assert.Equal("the authorization request had no code_challenge, which this client requires", redeemed.ErrorDescription);
    }

    [Fact]
    public async Task A_public_client_cannot_be_opted_out_of_pkce()
    {
        var id = "pkce-public-" + Guid.NewGuid().ToString("n")[..8];

        var refused = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", Registration(id, requirePkce: false, isPublic: true));

        Assert.Equal(400, refused.Status);
        Assert.Matches(@"^\$\.clients\[\d+\]\.requirePkce cannot be false for a public client \(RFC 9700 §2\.1\.1\)$", refused.ErrorDescription);
    }

    [Fact]
    public async Task A_verifier_for_a_code_issued_without_a_challenge_is_a_downgrade_and_refused()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null)))["code"];

        var redeemed = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", PeopleImport.WebRedirect), ("code_verifier", NewPkce().Verifier));

        Assert.Equal("invalid_grant", redeemed.Error);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PkceRequiredTests_Sqlite(SqlitePeopleFixture f) : PkceRequiredTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PkceRequiredTests_Postgres(PostgresPeopleFixture f) : PkceRequiredTests(f.Server);
