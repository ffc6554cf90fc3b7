using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Caching.Hybrid;
using Tessera.AspNetCore.Caching;

namespace Tessera.AspNetCore.Validation;

/// <summary>
/// Opaque access tokens and personal access tokens, checked by RFC 7662 introspection with this API's own client
/// credentials. Answers are cached by the token's SHA-256 for <see cref="TesseraOptions.IntrospectionCacheWindow"/>, in
/// memory and optionally in the distributed cache; an answer is never used past the token's exp.
/// </summary>
/// <remarks>
/// HybridCache takes an entry's lifetime before the answer is known, so an entry lives for the window even when the
/// token expires sooner. It is not used past exp all the same: <see cref="Check"/> refuses an answer whose exp has
/// passed, which is what the issuer would answer by then.
/// </remarks>
internal sealed class IntrospectionClient(TesseraOptions options, TimeProvider clock)
{
    // v3: HybridCache's own entry format around the issuer's bytes; entries of the earlier formats are never read.
    private const string DistributedKeyPrefix = "tessera:introspection:v3:";

    /// <summary>
    /// The prefix names the entries in a store shared with other applications. In this scheme's own memory the hash
    /// alone is the key (a token is a JWT or opaque, never both): the hit path then builds no string, which measured
    /// about 7 % of an opaque token's cache-hit authentication (bench/Tessera.Benchmarks/HitPathAB.cs).
    /// </summary>
    private readonly string? _keyPrefix = options.UseDistributedCache ? DistributedKeyPrefix : null;

    /// <summary>Inactive answers are kept as long as active ones: an unknown handle sent again is not asked about again.</summary>
    private readonly HybridCacheEntryOptions _entry = TokenCaches.For(options.IntrospectionCacheWindow, options.UseDistributedCache);

    public async Task<TokenCheck> ValidateAsync(string token, string hash, string authenticationType, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.ClientId))
            return TokenCheck.Invalid("the token is not a JWT and this API does not introspect tokens");

        IntrospectionAnswer answer;
        try
        {
            // Concurrent first requests with one token share one introspection (HybridCache's stampede protection).
            answer = await options.TokenCache.GetOrCreateAsync(_keyPrefix is null ? hash : _keyPrefix + hash,
                (Client: this, Token: token, Caller: Activity.Current),
                static (state, shared) =>
                {
                    CallerTrace.Continue(state.Caller);
                    return state.Client.IntrospectAsync(state.Token, shared);
                }, _entry, cancellationToken: cancellationToken);
        }
        catch (NoAnswerException)
        {
            return TokenCheck.Invalid("the token could not be checked");
        }
        var configuration = await options.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        return Check(answer, configuration.Issuer, authenticationType);
    }

    private TokenCheck Check(IntrospectionAnswer answer, string issuer, string authenticationType)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // RFC 7662 §2.2: only "active": true means the token may be used; its exp still bounds a cached answer.
        if (!answer.Active || answer.ExpiresAt is not { } exp || exp <= now) return TokenCheck.Invalid("the token is not active");
        // RFC 7662 §4: the resource server checks the token was meant for it.
        if (answer.Issuer != issuer) return TokenCheck.Invalid("the token has another issuer");
        if (!answer.Audiences.Any(options.AllAudiences.Contains)) return TokenCheck.Invalid("the token is not meant for this audience");
        return TokenCheck.Valid(answer.ToIdentity(authenticationType));
    }

    /// <summary>
    /// RFC 7662 §2.1, authenticated with client_secret_basic (RFC 6749 §2.3.1). No usable answer throws, so that nothing
    /// is cached for it and the next request asks again.
    /// </summary>
    private async ValueTask<IntrospectionAnswer> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        var configuration = await options.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        if (string.IsNullOrEmpty(configuration.IntrospectionEndpoint)) throw new NoAnswerException();
        TokenIntrospectionResponse response;
        try
        {
            response = await options.Backchannel.IntrospectTokenAsync(new TokenIntrospectionRequest
            {
                Address = configuration.IntrospectionEndpoint,
                ClientId = options.ClientId!,
                ClientSecret = options.ClientSecret,
                ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader,
                AuthorizationHeaderStyle = BasicAuthenticationHeaderStyle.Rfc6749,
                Token = token,
                TokenTypeHint = "access_token",
            }, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            throw new NoAnswerException();   // a 200 without a JSON body
        }
        // The issuer unreachable: the handler logs it, as any other failure to reach the issuer.
        if (response.ErrorType == ResponseErrorType.Exception && response.Exception is not JsonException)
            ExceptionDispatchInfo.Throw(response.Exception!);
        if (response.IsError || response.Raw is null) throw new NoAnswerException();
        return IntrospectionAnswer.Parse(Encoding.UTF8.GetBytes(response.Raw)) ?? throw new NoAnswerException();
    }

    /// <summary>The issuer gave no usable answer (an error status, or not a JSON object): nothing is cached.</summary>
    private sealed class NoAnswerException : Exception;
}
