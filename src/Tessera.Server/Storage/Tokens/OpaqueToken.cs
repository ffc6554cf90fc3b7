namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// An issued opaque access token. Only the SHA-256 of the handle is stored, so a database leak yields no usable token.
/// </summary>
public sealed class OpaqueToken : IHashedTokenRow
{
    /// <summary>SHA-256 of the handle (the primary key: lookups are one index seek).</summary>
    public required byte[] Hash { get; set; }
    public required string Jti { get; set; }
    public required string ClientId { get; set; }
    public required string Subject { get; set; }

    /// <summary>Space-delimited audiences.</summary>
    public required string Audiences { get; set; }
    public required string Scope { get; set; }
    public long IssuedAt { get; set; }
    public long ExpiresAt { get; set; }
    public long? RevokedAt { get; set; }

    /// <summary>OIDC Core §2 auth_time of the user's sign-in behind the token; null for tokens without one (client credentials, exchange).</summary>
    public long? AuthTime { get; set; }

    /// <summary>RFC 8176 amr values of the sign-in, space-delimited ("pwd otp mfa"); "" when unknown.</summary>
    public string Amr { get; set; } = "";

    /// <summary>The user claims its API asked for (roles, attributes), as a JSON object written at issue; null for none.</summary>
    public string? UserClaims { get; set; }

    /// <summary>RFC 9449 §6.2: the thumbprint of the key the token is bound to (introspection's cnf.jkt); null for a Bearer token.</summary>
    public string? Jkt { get; set; }
}
