using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 6749 §4.1.3–§4.1.4, RFC 7636 §4.6 and OIDC Core §3.1.3: redeeming the code; the ID token.</summary>
public abstract class Rfc6749AuthorizationCodeGrantTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_public_client_redeems_its_code_with_the_verifier_and_gets_an_id_token()
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid profile message", challenge, ("nonce", "n-42"))))["code"];

        var token = await RedeemPublicAsync(code, verifier);

        Assert.Equal(200, token.Status);
        Assert.Equal("openid profile message", (string?)token.Json["scope"]);
        var idToken = (string)token.Json["id_token"]!;
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = Server.Issuer, ValidAudience = PeopleImport.Spa, ValidTypes = ["JWT"],
            IssuerSigningKeys = (await Jwt.FetchJwksAsync(Http)).GetSigningKeys(),
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var payload = Jwt.Payload(idToken);
        Assert.Equal("RS256", (string?)Jwt.Header(idToken)["alg"]);
        Assert.Equal("n-42", (string?)payload["nonce"]);
        Assert.Equal(PeopleImport.Spa, (string?)payload["azp"]);
        Assert.Equal("Alice", (string?)payload["name"]);
        Assert.Null(payload["email"]);
        Assert.NotNull(payload["auth_time"]);
        Assert.NotNull(payload["sid"]);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(token.AccessToken));
        Assert.Equal(Base64UrlEncoder.Encode(hash[..16]), (string?)payload["at_hash"]);
        Assert.Equal(MessagesAudience, (string?)Jwt.Payload(token.AccessToken)["aud"]);
        Assert.Equal(payload["sub"]!.ToString(), Jwt.Payload(token.AccessToken)["sub"]!.ToString());
    }

    [Fact]
    public async Task A_sign_in_asking_only_for_openid_gets_an_access_token_for_tessera_itself()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid email", null)))["code"];

        var token = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));

        Assert.Equal(200, token.Status);
        Assert.Equal(Server.Issuer, (string?)Jwt.Payload(token.AccessToken)["aud"]);
        Assert.Equal("alice@example.com", (string?)Jwt.Payload((string)token.Json["id_token"]!)["email"]);
    }

    [Fact]
    public async Task A_reused_code_is_refused_and_the_token_of_its_first_use_is_revoked()
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid message", challenge)))["code"];
        var first = await RedeemPublicAsync(code, verifier);
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, first.AccessToken)).Active);

        var second = await RedeemPublicAsync(code, verifier);

        Assert.Equal(400, second.Status);
        Assert.Equal("invalid_grant", second.Error);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, first.AccessToken)).Active);
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_refused()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid", NewPkce().Challenge)))["code"];

        var token = await RedeemPublicAsync(code, NewPkce().Verifier);

        Assert.Equal("invalid_grant", token.Error);
        Assert.Equal("code_verifier does not match the code_challenge", token.ErrorDescription);
    }

    [Fact]
    public async Task A_redirect_uri_that_differs_from_the_authorization_request_is_refused()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null)))["code"];

        var token = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect + "/"));

        Assert.Equal("invalid_grant", token.Error);
    }

    [Fact]
    public async Task A_code_issued_to_one_client_cannot_be_redeemed_by_another()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null)))["code"];

        var token = await Protocol.TokenAsync(NoClientCredentials, NoClientCredentialsSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));

        Assert.Equal("invalid_grant", token.Error);
    }

    private Task<ProtocolResponse> RedeemPublicAsync(string code, string verifier) =>
        Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", PeopleImport.Spa),
            ("code", code), ("redirect_uri", PeopleImport.SpaRedirect), ("code_verifier", verifier));
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc6749AuthorizationCodeGrantTests_Sqlite(SqlitePeopleFixture f) : Rfc6749AuthorizationCodeGrantTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc6749AuthorizationCodeGrantTests_Postgres(PostgresPeopleFixture f) : Rfc6749AuthorizationCodeGrantTests(f.Server);
