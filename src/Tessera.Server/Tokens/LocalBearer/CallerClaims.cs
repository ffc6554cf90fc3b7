using System.Globalization;
using System.Security.Claims;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// An inspected access token as the principal of a request, under the JWT claim names of RFC 9068 §2.2 (one <c>aud</c>
/// claim per audience, <c>scope</c> space-delimited as in the token), and the values the APIs read back from it.
/// </summary>
internal static class CallerClaims
{
    public static ClaimsPrincipal Principal(InspectedToken token, string scheme)
    {
        var claims = new List<Claim>
        {
            new(Claims.Subject, token.Subject),
            new(Claims.JwtId, token.Jti),
            new(Claims.Scope, token.Scope),
            Number(Claims.IssuedAt, token.IssuedAt),
            Number(Claims.ExpiresAt, token.ExpiresAt),
        };
        claims.AddRange(token.Audiences.Select(audience => new Claim(Claims.Audience, audience)));
        if (token.ClientId is { } clientId) claims.Add(new Claim(Claims.ClientId, clientId));
        if (token.AuthTime is { } authTime) claims.Add(Number(Claims.AuthTime, authTime));
        claims.AddRange(SpaceDelimited.Split(token.Amr).Select(method => new Claim(Claims.Amr, method)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, Claims.Subject, roleType: null));
    }

    /// <summary>The token's subject: a user's id, or the client's own id for a client-credentials token (RFC 9068 §2.2).</summary>
    public static string Subject(this ClaimsPrincipal caller) =>
        caller.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("the caller was not authenticated by the local bearer scheme");

    /// <summary>A client's own token (client credentials): RFC 9068 §2.2 makes its sub the client_id; no user is behind it.</summary>
    public static bool IsClientsOwnToken(this ClaimsPrincipal caller) =>
        caller.FindFirstValue(Claims.Subject) is { } subject && subject == caller.FindFirstValue(Claims.ClientId);

    /// <summary>The client the token was issued to; null for a token with none (a PAT made on the account page).</summary>
    public static string? ClientId(this ClaimsPrincipal caller) => caller.FindFirstValue(Claims.ClientId);

    /// <summary>OIDC Core §2 auth_time of the sign-in behind the token; null when it has none (client credentials, exchange).</summary>
    public static long? AuthTime(this ClaimsPrincipal caller) =>
        long.TryParse(caller.FindFirstValue(Claims.AuthTime), NumberStyles.None, CultureInfo.InvariantCulture, out var authTime) ? authTime : null;

    private static Claim Number(string type, long value) => new(type, value.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
}
