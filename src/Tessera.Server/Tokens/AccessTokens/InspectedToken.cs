namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>
/// An access token found active: what introspection (RFC 7662 §2.2) reports about it. <see cref="ClientId"/> is null for
/// a personal access token made on the account page (no client was involved); <see cref="OpaqueHash"/> is the stored
/// hash of an opaque token or PAT, null for a JWT.
/// </summary>
public sealed record InspectedToken(
    string Format,
    string Jti,
    string Subject,
    string? ClientId,
    IReadOnlyList<string> Audiences,
    string Scope,
    long IssuedAt,
    long ExpiresAt,
    byte[]? OpaqueHash)
{
    /// <summary>
    /// Signed with an API's shared secret (HS256/384/512): the API holds that secret too and could have written the
    /// token itself, so only that API may rely on it — never Tessera's own decisions (exchange, UserInfo, its APIs).
    /// </summary>
    public bool SignedWithSharedSecret { get; init; }

    /// <summary>OIDC Core §2 auth_time of the sign-in behind a user's access token; null when it has none (PATs, client credentials, exchange).</summary>
    public long? AuthTime { get; init; }

    /// <summary>RFC 8176 amr values of the sign-in behind a user's access token, space-delimited; "" when it has none.</summary>
    public string Amr { get; init; } = "";

    /// <summary>The user claims its API asked for (roles, attributes), a JSON object; null when it carries none.</summary>
    public string? UserClaimsJson { get; init; }

    /// <summary>RFC 9449 §6: the thumbprint of the DPoP key the token is bound to; null for a Bearer token.</summary>
    public string? Jkt { get; init; }
}
