using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>OIDC Core §5.3 UserInfo with RFC 6750 errors, and discovery of the interactive flow.</summary>
public abstract class OidcUserInfoTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("openid profile email", "a token for Tessera itself")]
    [InlineData("openid email ledger", "an opaque token for another API")]
    public async Task The_full_code_flow_ends_with_claims_from_userinfo(string scope, string reason)
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, NewPkce().Challenge)))["code"];
        var token = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
        // A verifier was required since a challenge was sent; this request omitted it.
        Assert.Equal("invalid_grant", token.Error);

        var (verifier, challenge) = NewPkce();
        code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, challenge)))["code"];
        token = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect), ("code_verifier", verifier));

        var info = await UserInfoAsync(token.AccessToken);

        Assert.True(info.Status == 200, reason);
        Assert.Equal("alice@example.com", (string?)info.Json["email"]);
        Assert.Equal(Jwt.Payload((string)token.Json["id_token"]!)["sub"]!.ToString(), (string?)info.Json["sub"]);
    }

    [Fact]
    public async Task A_token_without_openid_gets_insufficient_scope()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var info = await UserInfoAsync(token);

        Assert.Equal(403, info.Status);
        Assert.Contains("error=\"insufficient_scope\"", info.Http.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_invalid_token_gets_invalid_token_and_no_token_a_bare_challenge()
    {
        var invalid = await UserInfoAsync("not-a-token");
        var none = await Protocol.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo"));

        Assert.Equal(401, invalid.Status);
        Assert.Contains("error=\"invalid_token\"", invalid.Http.Headers.WwwAuthenticate.ToString());
        Assert.Equal(401, none.Status);
        Assert.Equal("Bearer realm=\"tessera\"", none.Http.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Discovery_advertises_the_code_flow_with_s256_only()
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();

        Assert.Equal(Server.Issuer + "/connect/authorize", (string?)json["authorization_endpoint"]);
        Assert.Equal(Server.Issuer + "/connect/userinfo", (string?)json["userinfo_endpoint"]);
        Assert.Equal(["code"], json["response_types_supported"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(["S256"], json["code_challenge_methods_supported"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(["RS256"], json["id_token_signing_alg_values_supported"]!.AsArray().Select(v => (string?)v));
        Assert.Contains("authorization_code", json["grant_types_supported"]!.AsArray().Select(v => (string?)v));
    }

    private Task<ProtocolResponse> UserInfoAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Protocol.SendAsync(request);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class OidcUserInfoTests_Sqlite(SqlitePeopleFixture f) : OidcUserInfoTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class OidcUserInfoTests_Postgres(PostgresPeopleFixture f) : OidcUserInfoTests(f.Server);
