using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>One authorization request as a client sends it: the URL, and what the client keeps to check the answer.</summary>
public sealed record AuthorizationRequest(string Url, string State, string Nonce, string Verifier);

/// <summary>
/// The test acting as the confidential web client: builds authorization requests (code, PKCE S256, state, nonce),
/// redeems codes with client_secret_basic and validates ID tokens independently of Tessera's own code — endpoints come
/// from discovery, keys from the JWKS, validation is Microsoft.IdentityModel's.
/// </summary>
public sealed class OidcTestClient(TesseraServer server, Uri redirectUri, string clientId, string clientSecret) : IDisposable
{
    private readonly HttpClient _http = server.CreateClient();
    private JsonObject? _discovery;

    public async Task<string> EndpointAsync(string name)
    {
        _discovery ??= JsonNode.Parse(await _http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();
        return (string?)_discovery[name] ?? throw new InvalidOperationException($"discovery has no {name}");
    }

    public async Task<AuthorizationRequest> NewAuthorizationRequestAsync(string scope, params (string Name, string Value)[] extra)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var nonce = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var url = QueryHelpers.AddQueryString(await EndpointAsync("authorization_endpoint"), new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri.ToString(), ["scope"] = scope,
            ["state"] = state, ["nonce"] = nonce, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        foreach (var (name, value) in extra) url = QueryHelpers.AddQueryString(url, name, value);
        return new AuthorizationRequest(url, state, nonce, verifier);
    }

    /// <summary>RFC 6749 §4.1.3 with the PKCE verifier; the client authenticates with HTTP Basic.</summary>
    public async Task<ProtocolResponse> RedeemAsync(string code, string verifier)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await EndpointAsync("token_endpoint"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri.ToString(), ["code_verifier"] = verifier,
            }),
        };
        request.Headers.Authorization = ProtocolClient.Basic(clientId, clientSecret);
        return await new ProtocolClient(_http).SendAsync(request);
    }

    /// <summary>OIDC Core §3.1.3.7: signature against the JWKS, iss, aud, lifetime; the caller checks nonce and at_hash.</summary>
    public async Task<TokenValidationResult> ValidateIdTokenAsync(string idToken)
    {
        var jwks = new JsonWebKeySet(await _http.GetStringAsync(await EndpointAsync("jwks_uri")));
        return await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = server.Issuer,
            ValidAudience = clientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
    }

    /// <summary>OIDC Core §3.1.3.6: the left half of the SHA-256 of the access token, base64url.</summary>
    public static string AtHash(string accessToken) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);

    public async Task<(int Status, JsonObject Claims)> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await EndpointAsync("userinfo_endpoint"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body.StartsWith('{') ? JsonNode.Parse(body)!.AsObject() : new JsonObject());
    }

    public static Dictionary<string, string> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public void Dispose() => _http.Dispose();
}
