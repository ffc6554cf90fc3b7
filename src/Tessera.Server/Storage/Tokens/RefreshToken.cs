namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// A refresh token (RFC 6749 §1.5, §6): only its SHA-256 is stored; it is bound to the client, the user, the granted
/// scopes and the sign-in it came from. Every use rotates it (RFC 9700 §4.14.2): the row is consumed and a child with
/// the same <see cref="FamilyId"/> takes its place, so a reused token can revoke the whole family.
/// </summary>
public sealed class RefreshToken
{
    public required byte[] Hash { get; set; }

    /// <summary>Shared by every token rotated from the same grant (one code or device redemption).</summary>
    public required string FamilyId { get; set; }
    public required string ClientId { get; set; }
    public required string Subject { get; set; }

    /// <summary>The scopes the user granted: a refresh may ask for these or fewer (RFC 6749 §6).</summary>
    public required string Scope { get; set; }
    public long AuthTime { get; set; }

    /// <summary>RFC 8176 amr values of the sign-in, space-delimited ("pwd otp mfa"); "" when unknown.</summary>
    public string Amr { get; set; } = "";
    public string? SessionId { get; set; }

    /// <summary>
    /// OIDC Back-Channel Logout 1.0 §2.7: issued without offline_access, so it lives only as long as <see cref="SessionId"/>.
    /// An offline_access token survives an ordinary sign-out (OIDC Core §11).
    /// </summary>
    public bool SessionBound { get; set; }
    public long IssuedAt { get; set; }

    /// <summary>Counted from the grant: rotation hands the same expiry to the child.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>Set by the one conditional UPDATE that rotates the token.</summary>
    public long? ConsumedAt { get; set; }

    /// <summary>Set on every row of the family when the family is revoked.</summary>
    public long? RevokedAt { get; set; }

    /// <summary>The access token issued with this refresh token, so revoking the family revokes it too.</summary>
    public string? AccessTokenJti { get; set; }
    public byte[]? AccessTokenHash { get; set; }
    public long? AccessTokenExpiresAt { get; set; }

    /// <summary>RFC 9449 §5: a public client's refresh token bound to a DPoP key (its thumbprint); a refresh proves that key.</summary>
    public string? Jkt { get; set; }
}
