using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Jar;

/// <summary>
/// RFC 9101: a client signs its authorization request as a JWT (Microsoft.IdentityModel makes it, as a client library
/// would) and sends it by value in <c>request</c> or pushes it (Duende.IdentityModel's PushAuthorizationAsync). Only a
/// request signed with the client's registered key is read, and only its parameters count. Every refusal is attacked.
/// </summary>
public abstract class RequestObjectTests(TesseraServer server) : ServerTest(server)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    [Fact]
    public async Task A_signed_request_object_gives_a_code_and_only_its_parameters_count()
    {
        var pkce = NewPkce();
        var signed = RequestObject(Request(pkce.Challenge, scope: "openid message"));
        using var browser = new Browser(Server);

        // §6.3: a wider scope and another state beside the object are not the request's; the signed ones are.
        var callback = Callback(await SignInAndApproveAsync(browser, ByValue(signed, ("scope", "openid message ledger"), ("state", "outer"))));
        var tokens = await RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal("st-jar", callback["state"]);
        Assert.Equal(200, tokens.Status);
        Assert.Equal("openid message", (string?)tokens.Json["scope"]);
    }

    [Fact]
    public async Task A_prompt_inside_the_object_is_honoured_once_and_the_sign_in_comes_back_to_the_same_request()
    {
        var pkce = NewPkce();
        var request = Request(pkce.Challenge);
        request["prompt"] = "login consent";
        using var browser = new Browser(Server);

        // The sign-in and consent pages return with prompt narrowed beside the object: no loop back to the sign-in.
        var callback = Callback(await SignInAndApproveAsync(browser, ByValue(RequestObject(request))));

        Assert.Equal(200, (await RedeemAsync(callback["code"], pkce.Verifier)).Status);
    }

    [Fact]
    public async Task A_request_object_signed_with_an_unregistered_key_is_refused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = RequestObject(Request(NewPkce().Challenge), new ECDsaSecurityKey(otherKey) { KeyId = PeopleImport.SignerKey.KeyId });

        var refused = await RefusedAsync(forged);

        Assert.Equal("invalid_request_object", refused["error"]);
        Assert.Equal("the request object's signature does not verify with the client's registered keys", refused["error_description"]);
    }

    [Fact]
    public async Task An_unsigned_request_object_is_refused()
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"oauth-authz-req+jwt\"}");
        var unsigned = header + "." + Base64UrlEncoder.Encode(Request(NewPkce().Challenge).ToJsonString()) + ".";

        Assert.Equal("invalid_request_object", (await RefusedAsync(unsigned))["error"]);
    }

    [Theory]
    [InlineData("aud", "\"https://other-server.example\"", "the request object's aud must be this server's issuer")]
    [InlineData("exp", "1700000000", "the request object has expired")]
    [InlineData("iss", "\"web\"", "the request object's iss must be the client_id")]
    [InlineData("client_id", "\"web\"", "the request object's client_id must be the client_id of the request")]
    [InlineData("request_uri", "\"https://attacker.example/r\"", "request_uri must not appear inside a request object")]
    [InlineData("scope", "[\"openid\"]", "the request object's scope must be a string")]
    public async Task A_request_object_with_a_wrong_claim_is_refused(string claim, string json, string description)
    {
        var request = Request(NewPkce().Challenge);
        request[claim] = JsonNode.Parse(json);

        var refused = await RefusedAsync(RequestObject(request));

        Assert.Equal("invalid_request_object", refused["error"]);
        Assert.StartsWith(description, refused["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_kind_of_jwt_signed_by_the_client_is_not_taken_for_a_request()
    {
        // RFC 9101 §10.8: a JWT typed for something else (here a DPoP proof's typ) is refused even with a valid signature.
        var refused = await RefusedAsync(RequestObject(Request(NewPkce().Challenge), type: "dpop+jwt"));

        Assert.Equal("invalid_request_object", refused["error"]);
        Assert.Equal("the request object's typ must be oauth-authz-req+jwt", refused["error_description"]);
    }

    [Fact]
    public async Task A_client_without_registered_keys_cannot_send_a_request_object()
    {
        // The web client authenticates with a secret: whatever it signs with, there is no key of its to verify with.
        var request = Request(NewPkce().Challenge);
        request["client_id"] = PeopleImport.Web;
        request["redirect_uri"] = PeopleImport.WebRedirect;
        using var browser = new Browser(Server);

        var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = PeopleImport.Web, ["redirect_uri"] = PeopleImport.WebRedirect, ["request"] = RequestObject(request),
        }));

        var refused = Callback(response);
        Assert.Equal("invalid_request_object", refused["error"]);
        Assert.Equal("the client registered no keys (jwks) to verify request objects with", refused["error_description"]);
    }

    [Fact]
    public async Task Another_clients_request_object_is_refused()
    {
        // The signer's own object, presented as the web client's request: verified with the web client's keys (none).
        using var browser = new Browser(Server);
        var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = PeopleImport.Web, ["request"] = RequestObject(Request(NewPkce().Challenge)),
        }));
        var page = await browser.FollowAsync(response);

        Assert.Equal(400, page.Status);
        Assert.Contains("invalid_request_object", page.Html);
        Assert.Null(page.Location);
    }

    [Fact]
    public async Task A_redirect_uri_beside_the_object_that_is_not_its_own_is_refused_and_nothing_is_issued()
    {
        using var browser = new Browser(Server);
        var response = await browser.GetAsync(ByValue(RequestObject(Request(NewPkce().Challenge)), ("redirect_uri", PeopleImport.WebRedirect)));
        var page = await browser.FollowAsync(response);

        Assert.Equal(400, page.Status);
        Assert.Contains("redirect_uri beside request_uri or request must be the request&#x27;s own", page.Html);
    }

    [Fact]
    public async Task Request_and_request_uri_together_are_refused()
    {
        using var browser = new Browser(Server);
        var page = await browser.FollowAsync(await browser.GetAsync(
            ByValue(RequestObject(Request(NewPkce().Challenge)), ("request_uri", "urn:ietf:params:oauth:request_uri:abc"))));

        Assert.Equal(400, page.Status);
        Assert.Contains("request and request_uri cannot both be sent", page.Html);
    }

    [Fact]
    public async Task A_pushed_request_object_gives_a_code_by_reference()
    {
        var pkce = NewPkce();
        var pushed = await Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = Server.Issuer + "/connect/par", ClientId = PeopleImport.Signer, ClientSecret = PeopleImport.SignerSecret,
            Request = RequestObject(Request(pkce.Challenge, scope: "openid message")),
            // RFC 9101 §6.3: beside the object, ignored.
            Scope = "openid message ledger",
        });
        Assert.False(pushed.IsError, pushed.Error);
        using var browser = new Browser(Server);

        var callback = Callback(await SignInAndApproveAsync(browser, QueryHelpers.AddQueryString("/connect/authorize",
            new Dictionary<string, string?> { ["client_id"] = PeopleImport.Signer, ["request_uri"] = pushed.RequestUri })));
        var tokens = await RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal("st-jar", callback["state"]);
        Assert.Equal("openid message", (string?)tokens.Json["scope"]);
    }

    [Fact]
    public async Task A_pushed_request_object_signed_with_an_unregistered_key_is_refused_in_json()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pushed = await Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = Server.Issuer + "/connect/par", ClientId = PeopleImport.Signer, ClientSecret = PeopleImport.SignerSecret,
            Request = RequestObject(Request(NewPkce().Challenge), new ECDsaSecurityKey(otherKey) { KeyId = PeopleImport.SignerKey.KeyId }),
        });

        Assert.True(pushed.IsError);
        Assert.Equal(400, (int)pushed.HttpStatusCode);
        Assert.Equal("invalid_request_object", pushed.Error);
    }

    [Fact]
    public async Task Discovery_names_the_algorithms_and_no_request_uri_by_reference()
    {
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);

        Assert.True(discovery.TryGetBoolean("request_parameter_supported"));
        Assert.False(discovery.TryGetBoolean("request_uri_parameter_supported"));
        var algs = discovery.TryGetStringArray("request_object_signing_alg_values_supported").ToList();
        Assert.Contains("ES256", algs);
        Assert.Contains("PS256", algs);
        Assert.DoesNotContain("none", algs);
    }

    private Task<ProtocolResponse> RedeemAsync(string code, string verifier) =>
        Protocol.TokenAsync(PeopleImport.Signer, PeopleImport.SignerSecret, ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", PeopleImport.SignerRedirect), ("code_verifier", verifier));

    /// <summary>A refused request object: the error at the client's redirect URI (the outer one is registered).</summary>
    private async Task<Dictionary<string, string>> RefusedAsync(string requestObject)
    {
        using var browser = new Browser(Server);
        var response = await browser.GetAsync(ByValue(requestObject, ("redirect_uri", PeopleImport.SignerRedirect), ("state", "st-outer")));
        Assert.StartsWith(PeopleImport.SignerRedirect + "?", response.Location, StringComparison.Ordinal);
        var refused = Callback(response);
        Assert.False(refused.ContainsKey("code"));
        return refused;
    }

    private JsonObject Request(string challenge, string scope = "openid")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = PeopleImport.Signer, ["aud"] = Server.Issuer, ["iat"] = now, ["exp"] = now + 300,
            ["client_id"] = PeopleImport.Signer, ["response_type"] = "code", ["redirect_uri"] = PeopleImport.SignerRedirect,
            ["scope"] = scope, ["state"] = "st-jar", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        };
    }

    private static string RequestObject(JsonObject claims, SecurityKey? key = null, string type = "oauth-authz-req+jwt") =>
        Handler.CreateToken(claims.ToJsonString(), new SigningCredentials(key ?? PeopleImport.SignerKey, SecurityAlgorithms.EcdsaSha256),
            new Dictionary<string, object> { ["typ"] = type });

    private static string ByValue(string requestObject, params (string Name, string Value)[] extra)
    {
        var query = new Dictionary<string, string?> { ["client_id"] = PeopleImport.Signer, ["request"] = requestObject };
        foreach (var (name, value) in extra) query[name] = value;
        return QueryHelpers.AddQueryString("/connect/authorize", query);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class RequestObjectTests_Sqlite(SqlitePeopleFixture f) : RequestObjectTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class RequestObjectTests_Postgres(PostgresPeopleFixture f) : RequestObjectTests(f.Server);
