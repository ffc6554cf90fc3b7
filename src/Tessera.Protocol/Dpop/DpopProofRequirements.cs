namespace Tessera.Protocol.Dpop;

/// <summary>
/// What a DPoP proof must match for one request (RFC 9449 §4.3): the request's method and URI, the access token it
/// accompanies at a resource (for <c>ath</c>), and the receiver's algorithms and time window.
/// </summary>
/// <param name="Method">The HTTP method of the request the proof came with (§4.3 check 8, htm).</param>
/// <param name="Uri">The request's URI as the receiver knows itself; query and fragment are ignored (§4.3 check 9, htu).</param>
/// <param name="AccessToken">The access token presented with the proof at a resource; null at the token endpoint.</param>
/// <param name="Algorithms">The JWS algorithms accepted (asymmetric only: the proof's key is public).</param>
/// <param name="Lifetime">How old an <c>iat</c> may be (§4.3 check 11); the replay record is kept as long.</param>
/// <param name="ClockSkew">How far the client's clock may be ahead or behind.</param>
/// <param name="Now">The receiver's time.</param>
public sealed record DpopProofRequirements(
    string Method, string Uri, string? AccessToken, IReadOnlyCollection<string> Algorithms, TimeSpan Lifetime, TimeSpan ClockSkew,
    DateTimeOffset Now);

/// <summary>A proof that passed every check of RFC 9449 §4.3 except replay and nonce, which need the receiver's state.</summary>
/// <param name="KeyThumbprint">RFC 7638 SHA-256 thumbprint of the proof's public key, base64url: what <c>cnf.jkt</c> carries.</param>
/// <param name="Jti">The proof's identifier: used once per key within <see cref="DpopProofRequirements.Lifetime"/>.</param>
/// <param name="IssuedAt">The proof's <c>iat</c>, Unix seconds.</param>
/// <param name="Nonce">The proof's <c>nonce</c>, if any, for the receiver to check against the ones it gave (§8, §9).</param>
public sealed record DpopProof(string KeyThumbprint, string Jti, long IssuedAt, string? Nonce)
{
    /// <summary>When a record of this proof's jti may be forgotten: no copy of the proof is accepted after it.</summary>
    public long ReplayWindowEndsAt(DpopProofRequirements requirements) =>
        IssuedAt + (long)(requirements.Lifetime + requirements.ClockSkew + requirements.ClockSkew).TotalSeconds;
}
