using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Tessera.Gateway.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Gateway.Tests;

/// <summary>
/// RFC 9449 §7 at the gateway: a caller's DPoP-bound token passes with a proof of its key for the gateway's URL (and the
/// services behind still get the signed identity token), and is refused as Bearer before any service sees the request.
/// </summary>
[Collection(nameof(ChainCollection))]
public sealed class DpopChainTests(ChainFixture chain)
{
    [Fact]
    public async Task A_bound_token_with_a_proof_reaches_the_services()
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key);

        var (response, body) = await GetAsync("/messages/inbox", "DPoP", token, key.Proof("GET", new Uri(chain.GatewayAddress, "/messages/inbox").ToString(), accessToken: token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ChainFixture.Service, (string?)body!["next"]!["sub"]);
        // The proof, like the caller's token, stays at the gateway.
        Assert.Equal("", (string?)body["authorization"]);
    }

    [Fact]
    public async Task A_bound_token_sent_as_bearer_stops_at_the_gateway()
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key);
        var before = chain.A.Requests;

        var (response, _) = await GetAsync("/messages/inbox", "Bearer", token, proof: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("DPoP error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, chain.A.Requests);
    }

    [Fact]
    public async Task A_proof_for_another_route_stops_at_the_gateway()
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key);

        var (response, _) = await GetAsync("/messages/inbox", "DPoP", token, key.Proof("GET", new Uri(chain.GatewayAddress, "/write/note").ToString(), accessToken: token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("DPoP error=\"invalid_dpop_proof\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> BoundTokenAsync(DpopKey key)
    {
        var tokenUrl = chain.Server.Issuer + "/connect/token";
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Headers = { Authorization = ProtocolClient.Basic(ChainFixture.Service, ChainFixture.ServiceSecret) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "message")]),
        };
        request.Headers.Add("DPoP", key.Proof("POST", tokenUrl));
        var response = await chain.Protocol.SendAsync(request);
        Assert.Equal("DPoP", (string?)response.Json["token_type"]);
        return response.AccessToken;
    }

    private async Task<(HttpResponseMessage Response, JsonNode? Body)> GetAsync(string path, string scheme, string token, string? proof)
    {
        using var client = chain.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue(scheme, token) } };
        if (proof is not null) request.Headers.Add("DPoP", proof);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }
}
