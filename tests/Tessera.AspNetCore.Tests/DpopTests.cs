using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// RFC 9449 §7 in the resource-server library: a DPoP-bound token (a JWT with cnf.jkt, or an opaque token whose
/// introspection answer has cnf) is accepted with the DPoP scheme and a proof of its key for this request, and refused as
/// Bearer; every bad proof is a 401 with the DPoP scheme's challenge. Tokens come from the real issuer, proofs from
/// Microsoft.IdentityModel (<see cref="DpopKey"/>).
/// </summary>
public sealed class DpopTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>, IAsyncLifetime
{
    private ResourceApi _api = null!;

    public async Task InitializeAsync() => _api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o =>
    {
        o.ValidAudiences.Add(IssuerFixture.LedgerAudience);
        o.ClientId = IssuerFixture.ApiClient;
        o.ClientSecret = IssuerFixture.ApiSecret;
    }, publishMetadata: true);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private string Url(string path) => Url(_api, path);

    private static string Url(ResourceApi api, string path) => new Uri(api.Client.BaseAddress!, path).ToString();

    [Theory]
    [InlineData("message", "/messages")]
    [InlineData("ledger", "/ledger")]
    public async Task A_bound_token_with_a_proof_of_its_key_is_accepted(string scope, string path)
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key, scope);

        var response = await SendAsync("DPoP", token, path, key.Proof("GET", Url(path), accessToken: token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("message", "/messages")]
    [InlineData("ledger", "/ledger")]
    public async Task A_bound_token_sent_as_bearer_is_refused_with_a_dpop_challenge(string scope, string path)
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key, scope);

        var response = await SendAsync("Bearer", token, path, proof: null);

        AssertRefused(response, "invalid_token", "the access token is bound to a DPoP key: send it with the DPoP scheme and a proof");
    }

    [Fact]
    public async Task A_bound_jwt_already_validated_is_still_refused_as_bearer()
    {
        // The validated claims are cached by the token's hash: the cache must keep the binding too.
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key, "message");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("DPoP", token, "/messages", key.Proof("GET", Url("/messages"), accessToken: token))).StatusCode);

        AssertRefused(await SendAsync("Bearer", token, "/messages", proof: null), "invalid_token",
            "the access token is bound to a DPoP key: send it with the DPoP scheme and a proof");
    }

    [Fact]
    public async Task A_bound_token_without_the_scope_gets_403_insufficient_scope_in_the_dpop_scheme()
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key, "message");

        var response = await SendAsync("DPoP", token, "/messages/write", key.Proof("GET", Url("/messages/write"), accessToken: token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        // RFC 9449 §7.1: the scheme the token came in, with algs; RFC 9728 §5.1: and where the metadata is.
        Assert.Equal("DPoP error=\"insufficient_scope\", scope=\"message:write\", algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512\", " +
            $"resource_metadata=\"{Url("/.well-known/oauth-protected-resource/messages")}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Proofs_for_another_token_method_url_or_key_and_replayed_proofs_are_refused()
    {
        using var key = DpopKey.NewEs256();
        using var thief = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key, "message");
        var used = key.Proof("GET", Url("/messages"), accessToken: token);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("DPoP", token, "/messages", used)).StatusCode);

        AssertRefused(await SendAsync("DPoP", token, "/messages", key.Proof("GET", Url("/messages"), accessToken: "another-token")),
            "invalid_dpop_proof", "the DPoP proof's ath does not match the access token");
        AssertRefused(await SendAsync("DPoP", token, "/messages", key.Proof("POST", Url("/messages"), accessToken: token)),
            "invalid_dpop_proof", "the DPoP proof's htm does not match the request's method");
        AssertRefused(await SendAsync("DPoP", token, "/messages", key.Proof("GET", Url("/ledger"), accessToken: token)),
            "invalid_dpop_proof", "the DPoP proof's htu does not match the request's URI");
        AssertRefused(await SendAsync("DPoP", token, "/messages", thief.Proof("GET", Url("/messages"), accessToken: token)),
            "invalid_dpop_proof", "the DPoP proof is signed with another key than the one the token is bound to");
        AssertRefused(await SendAsync("DPoP", token, "/messages", used), "invalid_dpop_proof", "the DPoP proof was already used");
        AssertRefused(await SendAsync("DPoP", token, "/messages", proof: null), "invalid_dpop_proof", "the DPoP scheme needs a DPoP proof header");
    }

    [Fact]
    public async Task A_flood_of_valid_proofs_of_one_key_does_not_lock_out_another_client()
    {
        // §11.1's record is bounded: an attacker's own valid proofs fill it, and the next client's proof is still accepted.
        await using var small = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o => o.Dpop.ReplayCacheSize = 3);
        using var attacker = DpopKey.NewEs256();
        using var victim = DpopKey.NewEs256();
        var flooding = await BoundTokenAsync(attacker, "message");
        for (var i = 0; i < 6; i++)
        {
            var flood = await SendAsync(small, "DPoP", flooding, "/messages", attacker.Proof("GET", Url(small, "/messages"), accessToken: flooding));
            Assert.Equal(HttpStatusCode.OK, flood.StatusCode);
        }
        var token = await BoundTokenAsync(victim, "message");
        var proof = victim.Proof("GET", Url(small, "/messages"), accessToken: token);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(small, "DPoP", token, "/messages", proof)).StatusCode);
        var replay = await SendAsync(small, "DPoP", token, "/messages", proof);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("error_description=\"the DPoP proof was already used\"", replay.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_bearer_token_under_the_dpop_scheme_is_refused()
    {
        using var key = DpopKey.NewEs256();
        var token = await issuer.TokenAsync("message");

        AssertRefused(await SendAsync("DPoP", token, "/messages", key.Proof("GET", Url("/messages"), accessToken: token)),
            "invalid_token", "the access token is not bound to a DPoP key: send it with the Bearer scheme");
    }

    [Fact]
    public async Task A_bearer_token_is_unaffected()
    {
        var response = await SendAsync("Bearer", await issuer.TokenAsync("message"), "/messages", proof: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_metadata_lists_the_proof_algorithms()
    {
        var document = JsonNode.Parse(await _api.Client.GetStringAsync("/.well-known/oauth-protected-resource/messages"))!;

        Assert.Contains("ES256", document["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task An_api_that_opts_in_accepts_bound_tokens_as_bearer()
    {
        await using var lenient = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o => o.Dpop.AcceptBoundTokensAsBearer = true);
        using var key = DpopKey.NewEs256();

        var response = await lenient.GetAsync("/messages", await BoundTokenAsync(key, "message"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> BoundTokenAsync(DpopKey key, string scope)
    {
        var tokenUrl = issuer.Server.Issuer + "/connect/token";
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Headers = { Authorization = ProtocolClient.Basic(IssuerFixture.Service, IssuerFixture.ServiceSecret) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", scope)]),
        };
        request.Headers.Add("DPoP", key.Proof("POST", tokenUrl));
        var response = await issuer.Protocol.SendAsync(request);
        Assert.True(response.Status == 200, response.Json.ToJsonString());
        Assert.Equal("DPoP", (string?)response.Json["token_type"]);
        return response.AccessToken;
    }

    private Task<HttpResponseMessage> SendAsync(string scheme, string token, string path, string? proof) => SendAsync(_api, scheme, token, path, proof);

    private static async Task<HttpResponseMessage> SendAsync(ResourceApi api, string scheme, string token, string path, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue(scheme, token) } };
        if (proof is not null) request.Headers.Add("DPoP", proof);
        return await api.Client.SendAsync(request);
    }

    private void AssertRefused(HttpResponseMessage response, string error, string description)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // RFC 9449 §7.1: the DPoP scheme's challenge, with algs; RFC 9728 §5.1: and where the metadata is.
        Assert.Equal($"DPoP error=\"{error}\", error_description=\"{description}\", algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512\", " +
            $"resource_metadata=\"{Url("/.well-known/oauth-protected-resource/messages")}\"", response.Headers.WwwAuthenticate.ToString());
    }
}
