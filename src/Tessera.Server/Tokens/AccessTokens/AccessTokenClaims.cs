namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>What an access token says, before it is written as a JWT or stored behind an opaque handle.</summary>
public sealed record AccessTokenClaims(string Subject, string ClientId, TokenTarget Target, long IssuedAt, string Jti)
{
    /// <summary>The API's lifetime unless a grant caps it (a token exchange never outlives its subject token).</summary>
    public long ExpiresAt { get; init; } = IssuedAt + (long)Target.Lifetime.TotalSeconds;

    public string Scope => string.Join(' ', Target.Scopes);

    /// <summary>RFC 8693 §4.1: the <c>act</c> claim as JSON, for tokens issued to one party acting for another.</summary>
    public string? ActorJson { get; init; }

    /// <summary>The user claims the token's API asked for (<c>roles</c>, attributes), a JSON object; null for none.</summary>
    public string? UserClaimsJson { get; init; }

    /// <summary>RFC 9068 §2.2.1: the user's sign-in (Unix seconds) for tokens of a user's grant; null otherwise.</summary>
    public long? AuthTime { get; init; }

    /// <summary>RFC 9068 §2.2.1: how the user signed in (RFC 8176 amr, space-delimited), with the acr it gives; "" for none.</summary>
    public string Amr { get; init; } = "";

    /// <summary>RFC 9449 §6: the thumbprint of the DPoP key the token is bound to (cnf.jkt); null for a Bearer token.</summary>
    public string? Jkt { get; init; }
}

/// <summary>An issued access token and what the token response says about it.</summary>
public sealed record IssuedAccessToken(string Value, long ExpiresIn, string Scope)
{
    public string Jti { get; init; } = "";

    /// <summary>SHA-256 of an opaque handle (its row's key); null for a JWT.</summary>
    public byte[]? OpaqueHash { get; init; }

    /// <summary>jwt or opaque (the API's choice), for metrics.</summary>
    public string Format { get; init; } = "";

    /// <summary>The JWT's alg; null for an opaque token.</summary>
    public string? SigningAlgorithm { get; init; }

    /// <summary>RFC 9449 §5: DPoP for a token bound to a key, else Bearer (RFC 6750).</summary>
    public string TokenType { get; init; } = Vocabulary.TokenTypes.Bearer;
}
