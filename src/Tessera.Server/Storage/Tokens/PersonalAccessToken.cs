namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// A personal access token: a user's own long-lived credential for scripts and tools. Only the SHA-256 of the token is
/// stored; the token itself is shown once when it is created.
/// </summary>
public sealed class PersonalAccessToken : IHashedTokenRow
{
    /// <summary>A public identifier (list, revoke, the introspection <c>jti</c>); not the token.</summary>
    public required string Id { get; set; }
    public required byte[] Hash { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>Space-delimited API scopes.</summary>
    public required string Scope { get; set; }

    /// <summary>The client that created it through the PAT API (the CLI), or null when made on the account page.</summary>
    public string? ClientId { get; set; }
    public long CreatedAt { get; set; }
    public long ExpiresAt { get; set; }

    /// <summary>When it was last presented, to within <c>Tessera:PersonalAccessTokens:LastUsedResolution</c>.</summary>
    public long? LastUsedAt { get; set; }
    public long? RevokedAt { get; set; }

    /// <summary>RFC 9449 §6.2: a token bound to a DPoP key (its thumbprint), usable only with proofs of that key; null for a Bearer PAT.</summary>
    public string? Jkt { get; set; }
}
