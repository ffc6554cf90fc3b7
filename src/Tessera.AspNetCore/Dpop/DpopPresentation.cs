using Microsoft.AspNetCore.Http;
using Tessera.Protocol.Dpop;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// RFC 9449 §7: whether a token may be used as it was presented. A bound token comes with the DPoP scheme and a proof of
/// its key for this request (method, URL, <c>ath</c>), used once; a Bearer token does not come with the DPoP scheme.
/// </summary>
internal static class DpopPresentation
{
    public const string ProofHeader = "DPoP";

    /// <summary>Null when the token may be used; else why not.</summary>
    public static async Task<DpopRefusedException?> RefusalAsync(
        HttpContext context, TesseraOptions options, DpopReplayCache replay, string token, string? keyThumbprint, bool presentedAsDpop, TimeProvider clock)
    {
        if (!presentedAsDpop)
        {
            // §7.2: accepting a bound token as a bearer token would make a stolen one usable.
            return keyThumbprint is null || options.Dpop.AcceptBoundTokensAsBearer ? null
                : new DpopRefusedException("invalid_token", "the access token is bound to a DPoP key: send it with the DPoP scheme and a proof");
        }
        if (keyThumbprint is null) return new DpopRefusedException("invalid_token", "the access token is not bound to a DPoP key: send it with the Bearer scheme");

        // §4.3 check 1: one DPoP header with one value (two fields may arrive joined by a comma, which no JWT contains).
        var proofs = context.Request.Headers[ProofHeader];
        if (proofs.Count == 0) return new DpopRefusedException("invalid_dpop_proof", "the DPoP scheme needs a DPoP proof header");
        if (proofs.Count > 1 || proofs[0]!.Contains(',', StringComparison.Ordinal))
            return new DpopRefusedException("invalid_dpop_proof", "a request carries at most one DPoP proof");

        var request = context.Request;
        var requirements = new DpopProofRequirements(request.Method, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", token,
            options.Dpop.Algorithms.ToArray(), options.Dpop.ProofLifetime, options.ClockSkew, clock.GetUtcNow());
        var check = await DpopProofValidator.ValidateAsync(proofs[0]!, requirements);
        if (check.Proof is not { } proof) return new DpopRefusedException("invalid_dpop_proof", check.Error!);
        // §7.1: the proof's key is the one the token is bound to.
        if (!string.Equals(proof.KeyThumbprint, keyThumbprint, StringComparison.Ordinal))
            return new DpopRefusedException("invalid_dpop_proof", "the DPoP proof is signed with another key than the one the token is bound to");
        // §11.1: after every other check, so a stranger's proof never takes a place in the record.
        if (!replay.FirstUse(proof.KeyThumbprint, proof.Jti, proof.ReplayWindowEndsAt(requirements)))
            return new DpopRefusedException("invalid_dpop_proof", "the DPoP proof was already used");
        return null;
    }
}
