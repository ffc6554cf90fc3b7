using Microsoft.Extensions.Options;
using Tessera.Protocol.Dpop;
using Tessera.Server.Configuration;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.Dpop;

/// <summary>
/// RFC 9449 §4.3 at Tessera's own endpoints (token, UserInfo): reads the DPoP header, checks the proof
/// (<see cref="DpopProofValidator"/>), then the server's state — the nonce it gave (§8) and the jti's single use across
/// nodes (§11.1).
/// </summary>
internal sealed class DpopProofs(DpopProofReplay replay, DpopNonces nonces, IOptions<TesseraOptions> options, TimeProvider clock)
{
    public const string Header = "DPoP";
    public const string NonceHeader = "DPoP-Nonce";

    /// <summary>The algs of a DPoP challenge (§7.1) and the value of dpop_signing_alg_values_supported, space-delimited.</summary>
    public static readonly string Algorithms = string.Join(' ', DpopAlgorithms.Supported);

    /// <summary>
    /// The key the request's proof is for; <see cref="DpopBinding.None"/> without a DPoP header. At the token endpoint a
    /// refusal is 400 (§5); at a resource (<paramref name="accessToken"/> given) 401 with the DPoP challenge (§7.1).
    /// </summary>
    public async Task<Outcome<DpopBinding>> CheckAsync(HttpContext context, string uri, string? accessToken)
    {
        var values = context.Request.Headers[Header];
        if (values.Count == 0) return DpopBinding.None;
        // §4.3 check 1: exactly one DPoP header, one value. Two fields may arrive joined by a comma (RFC 9110 §5.3), which no
        // JWT contains.
        if (values.Count > 1 || values[0]!.Contains(',', StringComparison.Ordinal)) return Invalid("a request carries at most one DPoP proof", accessToken);

        var dpop = options.Value.Dpop;
        var requirements = new DpopProofRequirements(context.Request.Method, uri, accessToken, DpopAlgorithms.Supported,
            dpop.ProofLifetime, options.Value.Limits.ClockSkew, clock.GetUtcNow());
        var check = await DpopProofValidator.ValidateAsync(values[0]!, requirements);
        if (check.Proof is not { } proof) return Invalid(check.Error!, accessToken);

        // §8 (token endpoint) and §9 (resources): a nonce this server gave, when the operator asks for one.
        if (nonces.Required && !nonces.IsValid(proof.Nonce))
        {
            context.Response.Headers[NonceHeader] = nonces.Current();
            const string description = "the DPoP proof must carry the nonce given in the DPoP-Nonce header";
            return accessToken is null ? OAuthError.UseDpopNonce(description) : OAuthError.UseDpopNonceAtResource(description, Algorithms);
        }
        // §11.1: a proof is used once, on any node; the record lives as long as the proof could be accepted.
        if (!await replay.FirstUseAsync(proof.KeyThumbprint, proof.Jti, proof.ReplayWindowEndsAt(requirements), context.RequestAborted))
            return Invalid("the DPoP proof was already used", accessToken);
        // §8.2: a successful answer may carry the nonce for the next request, saving the client a refused round trip.
        if (nonces.Required) context.Response.Headers[NonceHeader] = nonces.Current();
        return new DpopBinding(proof.KeyThumbprint);
    }

    /// <summary>
    /// RFC 9449 §7.1 at one of Tessera's own resources (UserInfo, the built-in APIs): null when the token may be used as it
    /// was presented, else the refusal. A bound token needs the DPoP scheme and a proof of its key with <c>ath</c>; a Bearer
    /// token is not accepted under the DPoP scheme.
    /// </summary>
    public async Task<OAuthError?> RefusalAtResourceAsync(HttpContext context, string uri, string token, string? tokenKeyThumbprint, bool presentedAsDpop)
    {
        if (!presentedAsDpop)
        {
            // §7.2: a bound token is never accepted as a bearer token: that would make a stolen one usable.
            return tokenKeyThumbprint is null ? null
                : OAuthError.InvalidTokenForDpop("the access token is bound to a DPoP key: send it with the DPoP scheme and a proof", Algorithms);
        }
        if (tokenKeyThumbprint is null)
            return OAuthError.InvalidTokenForDpop("the access token is not bound to a DPoP key: send it with the Bearer scheme", Algorithms);
        if (context.Request.Headers[Header].Count == 0)
            return OAuthError.InvalidDpopProofAtResource("the DPoP scheme needs a DPoP proof header", Algorithms);
        var proof = await CheckAsync(context, uri, token);
        if (proof.Failed) return proof.Error;
        // §7.1: the proof's key is the one the token is bound to (cnf.jkt).
        return string.Equals(proof.Value.KeyThumbprint, tokenKeyThumbprint, StringComparison.Ordinal) ? null
            : OAuthError.InvalidDpopProofAtResource("the DPoP proof is signed with another key than the one the token is bound to", Algorithms);
    }

    private static OAuthError Invalid(string description, string? accessToken) =>
        accessToken is null ? OAuthError.InvalidDpopProof(description) : OAuthError.InvalidDpopProofAtResource(description, Algorithms);
}
