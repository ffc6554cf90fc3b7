using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.AspNetCore.Validation;

/// <summary>
/// RFC 9068 access tokens validated locally against the issuer's JWKS (found through discovery). An unknown "kid"
/// asks for a fresh JWKS at most once per <see cref="TesseraOptions.RefreshInterval"/>.
/// </summary>
internal sealed class JwtAccessTokenValidator(TesseraOptions options, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };
    private long _lastForcedRefresh = long.MinValue;

    /// <summary>
    /// A look-up only: a token is validated outside the cache and only a valid one is written, with its own lifetime.
    /// Validated JWTs stay on this node (the check is local CPU work; the distributed cache is for introspection).
    /// </summary>
    private static readonly HybridCacheEntryOptions LookUp = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableDistributedCache,
    };

    public async Task<TokenCheck> ValidateAsync(string token, string hash, string authenticationType, CancellationToken cancellationToken)
    {
        var key = options.JwtCacheWindow > TimeSpan.Zero ? hash : null;
        // CancellationToken.None, not the request's: the look-up does no I/O, and with a cancellable token HybridCache would
        // move a miss to the thread pool.
        if (key is not null && await options.TokenCache.GetOrCreateAsync(key, 0, static (_, _) => ValueTask.FromResult<ValidatedJwt?>(null), LookUp,
                cancellationToken: CancellationToken.None) is { } seen)
            return TokenCheck.Valid(seen.ToIdentity(authenticationType));

        var configuration = await options.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        var result = await Handler.ValidateTokenAsync(token, Parameters(configuration, authenticationType));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && TryStartRefresh())
        {
            // A key we have not seen: perhaps rotated in since the last fetch. Fetch once, try once more.
            options.ConfigurationManager.RequestRefresh();
            configuration = await options.ConfigurationManager.GetConfigurationAsync(cancellationToken);
            result = await Handler.ValidateTokenAsync(token, Parameters(configuration, authenticationType));
        }
        if (!result.IsValid) return TokenCheck.Invalid(Describe(result.Exception));
        if (key is not null) await RememberAsync(key, result, cancellationToken);
        return TokenCheck.Valid(result.ClaimsIdentity);
    }

    /// <summary>Only a token that passed every check is kept, for the window but never past its exp.</summary>
    private async Task RememberAsync(string key, TokenValidationResult result, CancellationToken cancellationToken)
    {
        var lifetime = options.JwtCacheWindow;
        var untilExpiry = new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero) - clock.GetUtcNow();
        if (untilExpiry < lifetime) lifetime = untilExpiry;
        if (lifetime <= TimeSpan.Zero) return;
        await options.TokenCache.SetAsync(key, ValidatedJwt.Of(result.ClaimsIdentity),
            new HybridCacheEntryOptions { Expiration = lifetime, LocalCacheExpiration = lifetime, Flags = HybridCacheEntryFlags.DisableDistributedCache },
            cancellationToken: cancellationToken);
    }

    /// <summary>Rate limit on forced refreshes, so bogus kids cannot make this API hammer the issuer.</summary>
    private bool TryStartRefresh()
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastForcedRefresh);
        if (last != long.MinValue && clock.GetElapsedTime(last, now) < options.RefreshInterval) return false;
        return Interlocked.CompareExchange(ref _lastForcedRefresh, now, last) == last;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration, string authenticationType) => new()
    {
        ValidIssuer = configuration.Issuer ?? options.Authority,
        ValidAudiences = options.AllAudiences.ToArray(),
        IssuerSigningKeys = configuration.SigningKeys,
        TryAllIssuerSigningKeys = false,
        // RFC 9068 §4: the typ header must be at+jwt, so an ID token or any other JWT of the issuer is refused.
        ValidTypes = [TesseraDefaults.AccessTokenType],
        ValidAlgorithms = options.ValidAlgorithms.ToArray(),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = options.ClockSkew,
        AuthenticationType = authenticationType,
        NameClaimType = TesseraDefaults.SubjectClaim,
        RoleClaimType = TesseraDefaults.RoleClaim,
    };

    /// <summary>A short reason for the error_description: never the token, never key material.</summary>
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the token is expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token is not meant for this audience",
        SecurityTokenInvalidIssuerException => "the token has another issuer",
        SecurityTokenInvalidTypeException => $"the token is not an access token (typ must be {Tessera.Protocol.JwtTypes.AccessToken})",
        SecurityTokenInvalidAlgorithmException => "the token's signing algorithm is not accepted",
        SecurityTokenSignatureKeyNotFoundException => "the token's signing key is unknown",
        SecurityTokenInvalidSignatureException => "the token's signature is invalid",
        SecurityTokenNoExpirationException => "the token has no expiry",
        _ => "the token is malformed or invalid",
    };
}
