namespace Tessera.Server.Storage.Tokens;

/// <summary>A DPoP proof already accepted: RFC 9449 §11.1 — its jti is not accepted again from the same key while it could be fresh.</summary>
public sealed class DpopProofUse
{
    /// <summary>The key's thumbprint (jkt) + space + base64url SHA-256 of the jti: fixed length whatever the client sent.</summary>
    public required string Id { get; set; }

    /// <summary>Unix seconds after which no copy of the proof is fresh enough to be accepted: the row may go.</summary>
    public long ExpiresAt { get; set; }
}
