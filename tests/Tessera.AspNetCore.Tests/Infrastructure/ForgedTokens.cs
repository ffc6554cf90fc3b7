using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>What an attacker can make without the issuer's keys: tokens signed with their own key, or not at all.</summary>
public static class ForgedTokens
{
    private static readonly RSA AttackerKey = RSA.Create(2048);

    public static Dictionary<string, object> Claims(string issuer, string audience, string scope) => new()
    {
        ["iss"] = issuer, ["aud"] = audience, ["sub"] = "mallory", ["client_id"] = "svc", ["scope"] = scope,
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString("n"),
    };

    /// <summary>Signed with the attacker's RSA key under the given kid (a real kid of the issuer, or any other).</summary>
    public static string SignedByAttacker(IDictionary<string, object> claims, string kid) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(AttackerKey) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>RFC 7515 "alg": "none" with an empty signature.</summary>
    public static string AlgNone(IDictionary<string, object> claims) =>
        $"{Segment(new { alg = "none", typ = "at+jwt" })}.{Segment(claims)}.";

    /// <summary>The kid in a JWT's header.</summary>
    public static string KeyIdOf(string jwt) => new JsonWebToken(jwt).Kid;

    private static string Segment(object value) => Base64UrlTextEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
}
