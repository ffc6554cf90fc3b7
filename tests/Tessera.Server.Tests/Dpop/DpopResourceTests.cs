using System.Net.Http.Headers;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Dpop;

/// <summary>
/// RFC 9449 §5 and §7 for a user's tokens: a public client's refresh token is bound to its key, and Tessera's own
/// resources (UserInfo, the PAT API) take a bound token only under the DPoP scheme with a proof of that key.
/// </summary>
public abstract class DpopResourceTests(TesseraServer server) : ServerTest(server)
{
    private string TokenUrl => Server.Issuer + "/connect/token";
    private string UserInfoUrl => Server.Issuer + "/connect/userinfo";

    [Fact]
    public async Task A_public_clients_refresh_token_works_only_with_proofs_of_its_key()
    {
        using var key = DpopKey.NewEs256();
        using var thief = DpopKey.NewEs256();
        var refreshToken = RefreshTokenOf(await SpaTokensAsync(key));

        var withoutProof = await RefreshAsync(refreshToken, proof: null);
        var withAnotherKey = await RefreshAsync(refreshToken, thief.Proof("POST", TokenUrl));

        Assert.Equal("invalid_grant", withoutProof.Error);
        Assert.Equal("the refresh token is bound to another DPoP key", withAnotherKey.ErrorDescription);
        Assert.Equal("invalid_grant", withAnotherKey.Error);
        var refreshed = await RefreshAsync(refreshToken, key.Proof("POST", TokenUrl));
        Assert.Equal(200, refreshed.Status);
        Assert.Equal("DPoP", (string?)refreshed.Json["token_type"]);
        Assert.Equal(key.Thumbprint, (string?)Jwt.Payload(refreshed.AccessToken)["cnf"]!["jkt"]);
    }

    [Fact]
    public async Task UserInfo_answers_a_bound_token_with_a_proof_of_its_key()
    {
        using var key = DpopKey.NewEs256();
        var token = (await SpaTokensAsync(key)).AccessToken;

        var response = await UserInfoAsync("DPoP", token, key.Proof("GET", UserInfoUrl, accessToken: token));

        Assert.Equal(200, response.Status);
        Assert.NotNull(response.Json["sub"]);
    }

    [Fact]
    public async Task UserInfo_refuses_a_bound_token_sent_as_bearer()
    {
        using var key = DpopKey.NewEs256();
        var token = (await SpaTokensAsync(key)).AccessToken;

        var response = await UserInfoAsync("Bearer", token, proof: null);

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_token", response.Error);
        Assert.StartsWith("DPoP error=\"invalid_token\"", response.Http.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_refuses_a_proof_for_another_token_or_by_another_key_or_without_a_proof()
    {
        using var key = DpopKey.NewEs256();
        using var thief = DpopKey.NewEs256();
        var token = (await SpaTokensAsync(key)).AccessToken;

        var wrongAth = await UserInfoAsync("DPoP", token, key.Proof("GET", UserInfoUrl, accessToken: token + "x"));
        var wrongKey = await UserInfoAsync("DPoP", token, thief.Proof("GET", UserInfoUrl, accessToken: token));
        var wrongUrl = await UserInfoAsync("DPoP", token, key.Proof("GET", TokenUrl, accessToken: token));
        var noProof = await UserInfoAsync("DPoP", token, proof: null);

        AssertRefused(wrongAth, "invalid_dpop_proof", "the DPoP proof's ath does not match the access token");
        AssertRefused(wrongKey, "invalid_dpop_proof", "the DPoP proof is signed with another key than the one the token is bound to");
        AssertRefused(wrongUrl, "invalid_dpop_proof", "the DPoP proof's htu does not match the request's URI");
        AssertRefused(noProof, "invalid_dpop_proof", "the DPoP scheme needs a DPoP proof header");
        Assert.Contains("algs=\"ES256", wrongKey.Http.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_replayed_at_userinfo_is_refused()
    {
        using var key = DpopKey.NewEs256();
        var token = (await SpaTokensAsync(key)).AccessToken;
        var proof = key.Proof("GET", UserInfoUrl, accessToken: token);
        Assert.Equal(200, (await UserInfoAsync("DPoP", token, proof)).Status);

        AssertRefused(await UserInfoAsync("DPoP", token, proof), "invalid_dpop_proof", "the DPoP proof was already used");
    }

    [Fact]
    public async Task A_bearer_token_is_not_accepted_under_the_dpop_scheme()
    {
        using var key = DpopKey.NewEs256();
        var token = (await SpaTokensAsync(key: null)).AccessToken;

        var response = await UserInfoAsync("DPoP", token, key.Proof("GET", UserInfoUrl, accessToken: token));

        AssertRefused(response, "invalid_token", "the access token is not bound to a DPoP key: send it with the Bearer scheme");
    }

    [Fact]
    public async Task The_pat_api_takes_a_bound_token_only_with_a_proof()
    {
        using var key = DpopKey.NewEs256();
        var token = (await WebTokensWithProofAsync(key, "tessera:pats")).AccessToken;
        var patsUrl = Server.Issuer + "/api/pats";

        using var asBearer = new HttpRequestMessage(HttpMethod.Get, "/api/pats") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var withProof = new HttpRequestMessage(HttpMethod.Get, "/api/pats") { Headers = { Authorization = new AuthenticationHeaderValue("DPoP", token) } };
        withProof.Headers.Add("DPoP", key.Proof("GET", patsUrl, accessToken: token));

        AssertRefused(await Protocol.SendAsync(asBearer), "invalid_token", "the access token is bound to a DPoP key: send it with the DPoP scheme and a proof");
        Assert.Equal(200, (await Protocol.SendAsync(withProof)).Status);
    }

    [Fact]
    public async Task A_pat_bound_with_dpop_jkt_is_introspected_with_its_key()
    {
        using var key = DpopKey.NewEs256();
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);

        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "bound", scopes = new[] { "ledger" }, expires_in_days = 1, dpop_jkt = key.Thumbprint });
        var malformed = await PatApi.CreateAsync(Protocol, bearer, new { name = "bad", scopes = new[] { "ledger" }, expires_in_days = 1, dpop_jkt = "not-a-thumbprint" });

        Assert.Equal(201, created.Status);
        Assert.Equal(key.Thumbprint, (string?)created.Json["dpop_jkt"]);
        var introspected = await Protocol.IntrospectAsync(Other, OtherSecret, (string)created.Json["token"]!);
        Assert.Equal(key.Thumbprint, (string?)introspected.Json["cnf"]!["jkt"]);
        Assert.Equal(400, malformed.Status);
        Assert.Equal("dpop_jkt must be a key's RFC 7638 SHA-256 thumbprint, base64url (43 characters)", malformed.ErrorDescription);
    }

    /// <summary>Alice at the SPA (a public client) with PKCE; the code is redeemed with a proof of <paramref name="key"/> (none when null).</summary>
    private async Task<ProtocolResponse> SpaTokensAsync(DpopKey? key)
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid offline_access message", challenge)))["code"];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("client_id", PeopleImport.Spa), new("code", code),
                new("redirect_uri", PeopleImport.SpaRedirect), new("code_verifier", verifier)]),
        };
        if (key is not null) request.Headers.Add("DPoP", key.Proof("POST", TokenUrl));
        var response = await Protocol.SendAsync(request);
        Assert.Equal(200, response.Status);
        return response;
    }

    private async Task<ProtocolResponse> WebTokensWithProofAsync(DpopKey key, string scope)
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null)))["code"];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Headers = { Authorization = ProtocolClient.Basic(PeopleImport.Web, PeopleImport.WebSecret) },
            Content = new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", PeopleImport.WebRedirect)]),
        };
        request.Headers.Add("DPoP", key.Proof("POST", TokenUrl));
        return await Protocol.SendAsync(request);
    }

    private async Task<ProtocolResponse> RefreshAsync(string refreshToken, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("client_id", PeopleImport.Spa), new("refresh_token", refreshToken)]),
        };
        if (proof is not null) request.Headers.Add("DPoP", proof);
        return await Protocol.SendAsync(request);
    }

    private async Task<ProtocolResponse> UserInfoAsync(string scheme, string token, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo") { Headers = { Authorization = new AuthenticationHeaderValue(scheme, token) } };
        if (proof is not null) request.Headers.Add("DPoP", proof);
        return await Protocol.SendAsync(request);
    }

    private static void AssertRefused(ProtocolResponse response, string error, string description)
    {
        Assert.Equal(401, response.Status);
        Assert.Equal(error, response.Error);
        Assert.Equal(description, response.ErrorDescription);
        Assert.StartsWith($"DPoP error=\"{error}\"", response.Http.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class DpopResourceTests_Sqlite(SqlitePeopleFixture f) : DpopResourceTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class DpopResourceTests_Postgres(PostgresPeopleFixture f) : DpopResourceTests(f.Server);
