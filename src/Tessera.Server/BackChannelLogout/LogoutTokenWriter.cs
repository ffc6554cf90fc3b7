using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.BackChannelLogout;

/// <summary>
/// OIDC Back-Channel Logout 1.0 §2.4: the logout token — a JWT of type logout+jwt, signed like ID tokens (RS256), with
/// iss, aud (the client), iat, exp, jti, the back-channel logout event, sub and sid, and never a nonce (§2.4: so it can
/// never pass for an ID token).
/// </summary>
internal sealed class LogoutTokenWriter(JsonWebTokenHandler handler, SnapshotCache snapshots, IssuerUrls urls, TimeProvider clock)
{
    public const string TokenType = "logout+jwt";
    public const string EventType = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>Long enough for a slow client to check it; each attempt gets a fresh token.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private static readonly Dictionary<string, object> Header = new() { [JwtHeaderParameterNames.Typ] = TokenType };

    public string Write(string clientId, string userId, string sessionId)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var key = snapshots.Current.Keys.SigningKey(SigningAlgorithms.RS256, now) ?? throw new InvalidOperationException("No active RS256 signing key.");
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [Claims.Issuer] = urls.Issuer,
                [Claims.Audience] = clientId,
                [Claims.IssuedAt] = now,
                [Claims.ExpiresAt] = now + (long)Lifetime.TotalSeconds,
                [Claims.JwtId] = SecretGenerator.NewSecret(16),
                // §2.4: a JSON object whose one member is the back-channel logout event, with an empty object as value.
                ["events"] = new Dictionary<string, object> { [EventType] = new Dictionary<string, object>() },
                [Claims.Subject] = userId,
                ["sid"] = sessionId,
            },
            SigningCredentials = key.Credentials,
            AdditionalHeaderClaims = Header,
        });
    }
}
