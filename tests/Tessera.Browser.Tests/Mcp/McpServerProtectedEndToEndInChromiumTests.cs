using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.Mcp.McpClientSteps;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>
/// The MCP authorization specification (revision 2025-11-25) played step by step by a client that knows only the MCP
/// server's URL: 401 with resource_metadata → RFC 9728 metadata → RFC 8414 metadata → RFC 7591 registration →
/// authorization code + PKCE + RFC 8707 resource, in Chromium → a DPoP-bound token (RFC 9449) → tool calls through the
/// MCP SDK's client → 403 insufficient_scope for the write tool → step-up → the write succeeds. The OAuth requests are
/// Duende.IdentityModel's, the proofs Microsoft.IdentityModel's (DpopKey): no Tessera code on the client side.
/// </summary>
[Collection(McpCollection.Name)]
public sealed class McpServerProtectedEndToEndInChromiumTests(McpFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_client_that_knows_only_the_MCP_URL_discovers_registers_signs_in_calls_with_DPoP_and_steps_up_to_write()
    {
        var endpoint = fixture.Endpoint;
        var resource = endpoint.ToString();

        // 1. MCP Authorization §"Authorization Server Location": the unauthenticated request meets 401 and the metadata's address (RFC 9728 §5.1).
        using var initialize = InitializeRequest(endpoint);
        using var refused = await _http.SendAsync(initialize);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var metadataUrl = Parameter(string.Join(", ", refused.Headers.WwwAuthenticate), "resource_metadata");
        Assert.Equal($"{endpoint.GetLeftPart(UriPartial.Authority)}/.well-known/oauth-protected-resource/mcp", metadataUrl);

        // 2. RFC 9728 §3: the resource's metadata names it, its authorization server, its scopes and DPoP algorithms.
        var resourceMetadata = JsonNode.Parse(await _http.GetStringAsync(metadataUrl))!;
        Assert.Equal(resource, (string?)resourceMetadata["resource"]);
        var issuer = (string)resourceMetadata["authorization_servers"]![0]!;
        Assert.Equal(fixture.Server.Issuer, issuer);
        Assert.Equal(["notes:read", "notes:write"], resourceMetadata["scopes_supported"]!.AsArray().Select(s => (string)s!));
        Assert.Contains("ES256", resourceMetadata["dpop_signing_alg_values_supported"]!.AsArray().Select(s => (string)s!));

        // 3. RFC 8414 §3 first, as MCP clients try it before OIDC discovery; its issuer must be the one named (§3.3).
        var serverMetadata = JsonNode.Parse(await _http.GetStringAsync(issuer + "/.well-known/oauth-authorization-server"))!;
        Assert.Equal(issuer, (string?)serverMetadata["issuer"]);
        Assert.Contains("S256", serverMetadata["code_challenge_methods_supported"]!.AsArray().Select(s => (string)s!));
        Assert.Contains("ES256", serverMetadata["dpop_signing_alg_values_supported"]!.AsArray().Select(s => (string)s!));
        var tokenEndpoint = (string)serverMetadata["token_endpoint"]!;

        // 4. RFC 7591: a public client (PKCE, no secret) with the loopback callback, asking for DPoP-bound tokens.
        var document = new DynamicClientRegistrationDocument
        {
            ClientName = "Notes agent", Scope = "notes:read notes:write", TokenEndpointAuthenticationMethod = "none",
            GrantTypes = { "authorization_code" }, RedirectUris = { fixture.Callback.RedirectUri },
            Extensions = new Dictionary<string, JsonElement> { ["dpop_bound_access_tokens"] = JsonSerializer.SerializeToElement(true) },
        };
        var registered = await _http.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = (string)serverMetadata["registration_endpoint"]!, Document = document,
        });
        Assert.False(registered.IsError, $"{registered.Error} {registered.ErrorDescription}");
        Assert.Null(registered.ClientSecret);

        using var key = DpopKey.NewEs256();
        await using var chromium = await Chromium.LaunchAsync();

        // 5 and 6. Only what the first task needs: notes:read. The token is bound to the client's key.
        var readToken = await AuthorizeAsync(chromium, serverMetadata, tokenEndpoint, registered.ClientId!, key, resource, "notes:read");
        Assert.Equal("notes:read", readToken.Scope);

        // 7. The SDK's client, with the DPoP token and a proof on every request.
        using var dpop = new DpopCallsHandler(key) { AccessToken = readToken.AccessToken! };
        await using (var client = await ConnectAsync(endpoint, dpop))
        {
            Assert.Equal(ProtocolVersion, client.NegotiatedProtocolVersion);
            var tools = await client.ListToolsAsync();
            // Every tool is listed whatever the token's scopes: a client must see write_note to know it can step up for it.
            Assert.Equal(["read_notes", "write_note"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
            Assert.Equal("[]", await CallAsync(client, "read_notes"));

            await Assert.ThrowsAsync<HttpRequestException>(async () => await client.CallToolAsync("write_note", new Dictionary<string, object?> { ["text"] = "milk" }));
            // MCP Authorization §"Runtime Insufficient Scope Errors": 403, error="insufficient_scope", and the scope needed (RFC 6750 §3.1).
            var (status, challenge) = dpop.Answers[^1];
            Assert.Equal(HttpStatusCode.Forbidden, status);
            // RFC 9449 §7.1: in the scheme the DPoP token came in, with algs; RFC 9728 §5.1: and where the metadata is.
            Assert.StartsWith("DPoP ", challenge, StringComparison.Ordinal);
            Assert.Equal("insufficient_scope", Parameter(challenge, "error"));
            Assert.Equal("notes:write", Parameter(challenge, "scope"));
            Assert.NotNull(Parameter(challenge, "algs"));
            Assert.Equal(metadataUrl, Parameter(challenge, "resource_metadata"));
            Assert.True(dpop.Answers.Take(dpop.Answers.Count - 1).All(answer => answer.Status == HttpStatusCode.OK || answer.Status == HttpStatusCode.Accepted),
                string.Join("; ", dpop.Answers));
        }

        // 8. MCP Authorization §"Step-Up Authorization Flow": authorize again for the union of the scopes, consent again.
        var writeToken = await AuthorizeAsync(chromium, serverMetadata, tokenEndpoint, registered.ClientId!, key, resource, "notes:read notes:write");
        dpop.AccessToken = writeToken.AccessToken!;
        await using (var client = await ConnectAsync(endpoint, dpop))
        {
            Assert.Equal("saved", await CallAsync(client, "write_note", new Dictionary<string, object?> { ["text"] = "milk" }));
            Assert.Equal("[\"milk\"]", await CallAsync(client, "read_notes"));
        }
        Assert.Empty(chromium.ConsoleErrors);
    }

    /// <summary>Steps 5 and 6: the code in Chromium (PKCE S256, resource), then the token with a DPoP proof.</summary>
    private async Task<TokenResponse> AuthorizeAsync(
        Chromium chromium, JsonNode serverMetadata, string tokenEndpoint, string clientId, DpopKey key, string resource, string scope)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var url = new RequestUrl((string)serverMetadata["authorization_endpoint"]!).CreateAuthorizeUrl(
            clientId: clientId, responseType: "code", scope: scope, redirectUri: fixture.Callback.RedirectUri.ToString(), state: state,
            codeChallenge: Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), codeChallengeMethod: "S256",
            extra: new Parameters { { "resource", resource } });
        Uri landed = null!;
        await chromium.RunAsync(async page =>
            landed = await AuthorizeInBrowserAsync(page, url, McpFixture.Usernames[0], McpFixture.Password, fixture.Callback.RedirectUri, scope.Split(' ')));
        var callback = OidcTestClient.Query(landed);
        Assert.Equal(state, callback["state"]);
        // RFC 9207: the answer names the issuer the client asked.
        Assert.Equal((string?)serverMetadata["issuer"], callback["iss"]);

        var token = await _http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = tokenEndpoint, ClientId = clientId, ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Code = callback["code"], RedirectUri = fixture.Callback.RedirectUri.ToString(), CodeVerifier = verifier,
            DPoPProofToken = key.Proof("POST", tokenEndpoint), Parameters = { { "resource", resource } },
        });
        Assert.False(token.IsError, $"{token.Error} {token.ErrorDescription}");
        Assert.Equal("DPoP", token.TokenType);
        var jwt = new JsonWebToken(token.AccessToken);
        Assert.Equal(resource, jwt.Audiences.Single());
        Assert.Equal(key.Thumbprint, JsonNode.Parse(jwt.GetClaim("cnf").Value)!["jkt"]!.GetValue<string>());
        return token;
    }

    public void Dispose() => _http.Dispose();
}
