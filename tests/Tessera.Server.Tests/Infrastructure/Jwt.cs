using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>Independent checks on a JWT: the JWKS is fetched over HTTP and validation is Microsoft.IdentityModel's.</summary>
public static class Jwt
{
    public static async Task<JsonWebKeySet> FetchJwksAsync(HttpClient http) =>
        new(await http.GetStringAsync("/.well-known/jwks"));

    public static async Task<TokenValidationResult> ValidateAsync(string token, HttpClient http, string issuer, string audience, string type = "at+jwt")
    {
        var jwks = await FetchJwksAsync(http);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = [type],
        });
    }

    public static JsonObject Header(string token) => Part(token, 0);
    public static JsonObject Payload(string token) => Part(token, 1);

    /// <summary>Rebuilds a token with a modified header or payload and the original signature: a forgery.</summary>
    public static string Rebuild(JsonObject header, JsonObject payload, string signature) =>
        $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{signature}";

    /// <summary>An RFC 9068 token with the given claims, HMAC-signed by whoever holds <paramref name="secret"/> (an HS256 API).</summary>
    public static string SignWithSharedSecret(JsonObject payload, string secret, string? kid) =>
        new JsonWebTokenHandler().CreateToken(payload.ToJsonString(),
            new SigningCredentials(new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(secret)) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
            new Dictionary<string, object> { ["typ"] = "at+jwt" });

    private static JsonObject Part(string token, int index) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[index])))!.AsObject();
}
