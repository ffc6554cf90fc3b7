using Tessera.Protocol.Dpop;

namespace Tessera.AspNetCore.Dpop;

/// <summary>How this API treats DPoP-bound access tokens (RFC 9449 §7): <c>options.Dpop</c>.</summary>
public sealed class DpopResourceOptions
{
    /// <summary>The algorithms accepted on proofs (and published in the RFC 9728 metadata); asymmetric only.</summary>
    public ICollection<string> Algorithms { get; } = DpopAlgorithms.Supported.ToList();

    /// <summary>How old a proof's <c>iat</c> may be (plus <see cref="TesseraOptions.ClockSkew"/>); its jti is remembered that long.</summary>
    public TimeSpan ProofLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// §7.2 says a bound token must not be accepted as a bearer token, and that is the default (false). True only while
    /// clients of this API move to DPoP and a token's theft is an accepted risk.
    /// </summary>
    public bool AcceptBoundTokensAsBearer { get; set; }

    /// <summary>
    /// Most proof ids remembered for replay detection (§11.1). The record is per process: an API on several nodes
    /// detects a proof replayed at the same node; a proof is bound to one request's method, URL and token either way.
    /// A record full of live proofs forgets those closest to expiry (a tenth of it at a time), never refuses new ones.
    /// </summary>
    public int ReplayCacheSize { get; set; } = 100_000;
}
