using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.Gateway.Tests.Infrastructure;

namespace Tessera.Gateway.Tests;

/// <summary>Client → gateway → service A → service B with bearer tokens: the identity that reaches B, and what stops at the gateway.</summary>
[Collection(nameof(ChainCollection))]
public sealed class BearerChainTests(ChainFixture chain)
{
    private async Task<(HttpResponseMessage Response, JsonNode? Body)> GetAsync(string path, string? token, Action<HttpRequestMessage>? tweak = null)
    {
        using var client = chain.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        tweak?.Invoke(request);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    private string Metadata(string api) => new Uri(chain.GatewayAddress, "/.well-known/oauth-protected-resource/" + api).ToString();

    [Fact]
    public async Task The_gateway_publishes_the_metadata_of_each_public_api()
    {
        using var client = chain.CreateGatewayClient();

        foreach (var (path, audience) in new[] { ("messages", ChainFixture.MessagesAudience), ("ledger", ChainFixture.LedgerAudience) })
        {
            var document = JsonNode.Parse(await client.GetStringAsync("/.well-known/oauth-protected-resource/" + path))!;
            Assert.Equal(audience, (string?)document["resource"]);
            Assert.Equal(chain.Server.Issuer, (string?)document["authorization_servers"]![0]);
            Assert.Contains("ES256", document["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));
        }
    }

    [Fact]
    public async Task Service_b_sees_the_caller_and_its_scopes_through_the_gateway_and_service_a()
    {
        var (response, body) = await GetAsync("/messages/inbox", await chain.TokenAsync("message"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("A", (string?)body!["service"]);
        Assert.Equal("/messages/inbox", (string?)body["path"]);
        Assert.Equal(200, (int?)body["next_status"]);
        var b = body["next"]!;
        Assert.Equal("B", (string?)b["service"]);
        Assert.Equal(ChainFixture.Service, (string?)b["sub"]);
        Assert.Equal("message", (string?)b["scope"]);
        Assert.Equal(ChainFixture.GatewayClient, (string?)b["client_id"]);
        Assert.Equal(ChainFixture.InternalAudience, (string?)b["aud"]);
        // The caller's own token and cookies stay at the gateway.
        Assert.Equal("", (string?)body["authorization"]);
        Assert.Equal("", (string?)body["cookie"]);
    }

    [Fact]
    public async Task A_token_without_the_routes_scope_gets_403_insufficient_scope_at_the_gateway()
    {
        var before = chain.A.Requests;
        var (response, _) = await GetAsync("/write/note", await chain.TokenAsync("message"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"message:write\", resource_metadata=\"{Metadata("messages")}\"",
            response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(before, chain.A.Requests);
    }

    [Fact]
    public async Task No_token_gets_401_with_a_bare_bearer_challenge_naming_the_apis_metadata()
    {
        var (response, _) = await GetAsync("/messages/inbox", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // RFC 9728 §5.1: the gateway publishes each public API's metadata; the challenge names the one the path is under.
        Assert.Equal($"Bearer resource_metadata=\"{Metadata("messages")}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_forged_token_gets_401_invalid_token_at_the_gateway()
    {
        var token = await chain.TokenAsync("message");
        var forged = ForgedTokens.SignedByAttacker(ForgedTokens.Claims(chain.Server.Issuer, ChainFixture.MessagesAudience, "message"), ForgedTokens.KeyIdOf(token));
        var before = chain.A.Requests;
        var (response, _) = await GetAsync("/messages/inbox", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"the token's signature is invalid\", resource_metadata=\"{Metadata("messages")}\"",
            response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(before, chain.A.Requests);
    }

    [Fact]
    public async Task A_forged_identity_header_from_outside_is_replaced_by_the_gateway()
    {
        // Claims of an admin, signed with the attacker's key under the issuer's kid, sent alongside a real token.
        var token = await chain.TokenAsync("message");
        var forged = ForgedTokens.SignedByAttacker(ForgedTokens.Claims(chain.Server.Issuer, ChainFixture.InternalAudience, "message message:write ledger"), ForgedTokens.KeyIdOf(token));
        var (response, body) = await GetAsync("/messages/inbox", token, r => r.Headers.TryAddWithoutValidation(TesseraDefaults.IdentityHeader, forged));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ChainFixture.Service, (string?)body!["next"]!["sub"]);
        Assert.Equal("message", (string?)body["next"]!["scope"]);
    }

    [Fact]
    public async Task A_forged_identity_header_alone_does_not_pass_the_gateway()
    {
        var token = await chain.TokenAsync("message");
        var forged = ForgedTokens.SignedByAttacker(ForgedTokens.Claims(chain.Server.Issuer, ChainFixture.InternalAudience, "message"), ForgedTokens.KeyIdOf(token));
        var (response, _) = await GetAsync("/messages/inbox", token: null, r => r.Headers.TryAddWithoutValidation(TesseraDefaults.IdentityHeader, forged));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_service_called_directly_with_a_forged_identity_token_refuses_it()
    {
        var token = await chain.TokenAsync("message");
        var forged = ForgedTokens.SignedByAttacker(ForgedTokens.Claims(chain.Server.Issuer, ChainFixture.InternalAudience, "message"), ForgedTokens.KeyIdOf(token));
        using var client = new HttpClient { BaseAddress = chain.A.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages/inbox");
        request.Headers.TryAddWithoutValidation(TesseraDefaults.IdentityHeader, forged);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_callers_public_api_token_is_not_accepted_by_an_internal_service()
    {
        // Only identity tokens for the internal audience open the services; a token for the messages API does not.
        using var client = new HttpClient { BaseAddress = chain.A.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages/inbox");
        request.Headers.TryAddWithoutValidation(TesseraDefaults.IdentityHeader, await chain.TokenAsync("message"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_identity_token_is_exchanged_once_and_reused_for_the_same_caller_token()
    {
        var token = await chain.TokenAsync("message");
        var before = chain.GatewayToIssuer["/connect/token"];
        for (var i = 0; i < 5; i++)
        {
            var (response, body) = await GetAsync("/messages/inbox", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(body);
        }
        Assert.Equal(1, chain.GatewayToIssuer["/connect/token"] - before);
    }

    [Fact]
    public async Task Parallel_first_requests_with_a_new_token_share_one_exchange()
    {
        var token = await chain.TokenAsync("message");
        var before = chain.GatewayToIssuer["/connect/token"];

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => GetAsync("/messages/inbox", token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Equal(1, chain.GatewayToIssuer["/connect/token"] - before);
    }

    [Fact]
    public async Task A_bearer_string_that_cannot_be_a_tessera_token_is_refused_at_the_gateway_without_asking_the_issuer()
    {
        var before = chain.GatewayToIssuer["/connect/introspect"];

        foreach (var bearer in RandomBearers.Create(100))
        {
            var (response, _) = await GetAsync("/ledger/balance", bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, chain.GatewayToIssuer["/connect/introspect"] - before);
    }

    [Fact]
    public async Task An_opaque_token_is_introspected_once_per_window_and_a_revoked_one_stops_after_it()
    {
        var token = await chain.TokenAsync("ledger");
        Assert.StartsWith("tsr_at_", token);
        var before = chain.GatewayToIssuer["/connect/introspect"];
        for (var i = 0; i < 5; i++)
        {
            var (response, body) = await GetAsync("/ledger/balance", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ledger", (string?)body!["next"]!["scope"]);
        }
        Assert.Equal(1, chain.GatewayToIssuer["/connect/introspect"] - before);

        Assert.Equal(200, (await chain.Protocol.RevokeAsync(ChainFixture.Service, ChainFixture.ServiceSecret, token)).Status);
        await Task.Delay(ChainFixture.IntrospectionWindow + TimeSpan.FromMilliseconds(300));
        var (after, _) = await GetAsync("/ledger/balance", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"the token is not active\", resource_metadata=\"{Metadata("ledger")}\"",
            after.Headers.WwwAuthenticate.ToString());
    }
}

[CollectionDefinition(nameof(ChainCollection))]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>;
