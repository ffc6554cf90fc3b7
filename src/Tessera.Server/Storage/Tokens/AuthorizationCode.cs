namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// An authorization code (RFC 6749 §4.1.2): only its SHA-256 is stored; it is bound to the client, the redirect URI,
/// the PKCE challenge, the nonce, the scopes and the sign-in it came from, and is consumed once.
/// </summary>
public sealed class AuthorizationCode
{
    public required byte[] Hash { get; set; }
    public required string ClientId { get; set; }
    public required string RedirectUri { get; set; }
    public string? CodeChallenge { get; set; }
    public string? Nonce { get; set; }
    public required string Scope { get; set; }
    public required string Subject { get; set; }
    public long AuthTime { get; set; }

    /// <summary>RFC 8176 amr values of the sign-in, space-delimited ("pwd otp mfa"); "" when unknown.</summary>
    public string Amr { get; set; } = "";
    public string? SessionId { get; set; }
    public long ExpiresAt { get; set; }

    /// <summary>Set by the one conditional UPDATE that redeems the code.</summary>
    public long? ConsumedAt { get; set; }

    /// <summary>The access token the redemption issued, so a replayed code can revoke it (RFC 6749 §4.1.2).</summary>
    public string? IssuedTokenJti { get; set; }
    public byte[]? IssuedTokenHash { get; set; }
    public long? IssuedTokenExpiresAt { get; set; }

    /// <summary>The refresh-token family the redemption started, revoked with the access token on a replay.</summary>
    public string? IssuedRefreshFamilyId { get; set; }

    /// <summary>
    /// Set by a replay. A replay that arrives while the first redemption is still issuing finds nothing recorded to
    /// revoke; the redemption sees this mark after recording and revokes its own tokens.
    /// </summary>
    public long? ReplayedAt { get; set; }
}
