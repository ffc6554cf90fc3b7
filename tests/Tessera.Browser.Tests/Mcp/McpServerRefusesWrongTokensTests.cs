using System.Net;
using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Tessera.Testing;
using static Tessera.Browser.Tests.Mcp.McpClientSteps;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>
/// What the MCP server refuses (MCP 2025-11-25, Authorization §"Token Handling": a server validates that the token was
/// issued for it, RFC 8707; RFC 9449 §7 for bound tokens). The tokens come from client credentials: how a token was
/// obtained does not matter to these checks, and no browser is needed. Each refusal is set beside the same token
/// presented rightly, so a refusal is the presentation's doing.
/// </summary>
[Collection(McpCollection.Name)]
public sealed class McpServerRefusesWrongTokensTests(McpFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_token_for_another_resource_is_refused_with_401_invalid_token_and_the_metadata_address()
    {
        var elsewhere = await TokenAsync("elsewhere", key: null);
        var notes = await TokenAsync("notes:read", key: null);

        var (status, challenge) = await InitializeAsync(new AuthenticationHeaderValue("Bearer", elsewhere.AccessToken), proof: null);
        var (accepted, _) = await InitializeAsync(new AuthenticationHeaderValue("Bearer", notes.AccessToken), proof: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("Bearer ", challenge, StringComparison.Ordinal);
        Assert.Equal("invalid_token", Parameter(challenge, "error"));
        Assert.NotNull(Parameter(challenge, "resource_metadata"));
        Assert.Equal(HttpStatusCode.OK, accepted);
    }

    [Fact]
    public async Task A_DPoP_bound_token_presented_as_Bearer_is_refused()
    {
        using var key = DpopKey.NewEs256();
        var token = await TokenAsync("notes:read", key);
        Assert.Equal("DPoP", token.TokenType);

        var (status, challenge) = await InitializeAsync(new AuthenticationHeaderValue("Bearer", token.AccessToken), proof: null);
        var (accepted, _) = await InitializeAsync(new AuthenticationHeaderValue("DPoP", token.AccessToken), key.Proof("POST", fixture.Endpoint.ToString(), token.AccessToken));

        // RFC 9449 §7.2: a bound token is not a bearer token; the challenge is DPoP's (§7.1).
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("DPoP ", challenge, StringComparison.Ordinal);
        Assert.Equal("invalid_token", Parameter(challenge, "error"));
        Assert.Equal(HttpStatusCode.OK, accepted);
    }

    [Fact]
    public async Task A_DPoP_token_without_a_proof_or_with_a_proof_of_another_key_is_refused()
    {
        using var key = DpopKey.NewEs256();
        using var otherKey = DpopKey.NewEs256();
        var token = await TokenAsync("notes:read", key);

        var (withoutProof, withoutChallenge) = await InitializeAsync(new AuthenticationHeaderValue("DPoP", token.AccessToken), proof: null);
        var (otherKeys, otherChallenge) = await InitializeAsync(
            new AuthenticationHeaderValue("DPoP", token.AccessToken), otherKey.Proof("POST", fixture.Endpoint.ToString(), token.AccessToken));

        // RFC 9449 §7.1: the proof is what makes the token usable; without it, or from another key, invalid_dpop_proof.
        Assert.Equal(HttpStatusCode.Unauthorized, withoutProof);
        Assert.Equal("invalid_dpop_proof", Parameter(withoutChallenge, "error"));
        Assert.Equal(HttpStatusCode.Unauthorized, otherKeys);
        Assert.Equal("invalid_dpop_proof", Parameter(otherChallenge, "error"));
    }

    /// <summary>Client credentials for the robot, bound to <paramref name="key"/> when one is given (a DPoP proof at the token endpoint).</summary>
    private async Task<TokenResponse> TokenAsync(string scope, DpopKey? key)
    {
        var tokenEndpoint = fixture.Server.Issuer + "/connect/token";
        var token = await _http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = tokenEndpoint, ClientId = McpFixture.Robot, ClientSecret = McpFixture.RobotSecret, Scope = scope,
            DPoPProofToken = key?.Proof("POST", tokenEndpoint),
        });
        Assert.False(token.IsError, $"{token.Error} {token.ErrorDescription}");
        return token;
    }

    private async Task<(HttpStatusCode Status, string? Challenge)> InitializeAsync(AuthenticationHeaderValue authorization, string? proof)
    {
        using var request = InitializeRequest(fixture.Endpoint);
        request.Headers.Authorization = authorization;
        if (proof is not null) request.Headers.Add("DPoP", proof);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.WwwAuthenticate));
    }

    public void Dispose() => _http.Dispose();
}
