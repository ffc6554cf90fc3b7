using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>Writes RFC 9068 JWT access tokens through <see cref="JsonWebTokenHandler"/>.</summary>
internal sealed class JwtAccessTokenWriter(JsonWebTokenHandler handler)
{
    // RFC 9068 §2.1: typ is "at+jwt", so a JWT access token cannot be mistaken for an ID token.
    private static readonly Dictionary<string, object> Header = new() { [JwtHeaderParameterNames.Typ] = TokenTypes.AccessTokenJwtType };

    public string Write(AccessTokenClaims claims, string issuer, SigningCredentials credentials) =>
        handler.CreateToken(Payload(claims, issuer), credentials, Header);

    /// <summary>RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti, and scope as one space-delimited string.</summary>
    private static string Payload(AccessTokenClaims claims, string issuer)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(Claims.JwtId, claims.Jti);
            json.WriteString(Claims.Subject, claims.Subject);
            json.WriteNumber(Claims.IssuedAt, claims.IssuedAt);
            json.WriteNumber(Claims.ExpiresAt, claims.ExpiresAt);
            json.WriteString(Claims.Scope, claims.Scope);
            json.WriteString(Claims.Issuer, issuer);
            var apis = claims.Target.Apis;
            if (apis.Count == 1)
            {
                json.WriteString(Claims.Audience, apis[0].Audience);
            }
            else
            {
                json.WriteStartArray(Claims.Audience);
                foreach (var api in apis) json.WriteStringValue(api.Audience);
                json.WriteEndArray();
            }
            json.WriteString(Claims.ClientId, claims.ClientId);
            if (claims.AuthTime is { } authTime) json.WriteNumber(Claims.AuthTime, authTime);
            if (claims.ActorJson is not null)
            {
                json.WritePropertyName(Claims.Actor);
                json.WriteRawValue(claims.ActorJson);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
