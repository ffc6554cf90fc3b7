using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Caching;
using Tessera.AspNetCore.Validation;
using Tessera.Gateway.Authentication;
using Tessera.Gateway.Configuration;
using Tessera.Protocol;

namespace Tessera.Gateway.Identity;

/// <summary>The outcome of one exchange: the identity token, or the token endpoint's error.</summary>
internal sealed record ExchangeResult(string? IdentityToken, string? Error)
{
    public static ExchangeResult Failed(string error) => new(null, error);
}

/// <summary>
/// RFC 8693 token exchange at Tessera's token endpoint: the caller's access token (subject) for a short-lived JWT
/// whose audience is the internal services. Kept by the subject token's SHA-256 until shortly before it expires.
/// </summary>
internal sealed class IdentityTokenExchanger(IOptions<GatewayOptions> gateway, IOptionsMonitor<TesseraOptions> tessera, TimeProvider clock)
{
    /// <summary>
    /// A caller's parallel first requests share one exchange (HybridCache's stampede protection). The exchange writes
    /// the entry itself, once it knows the identity token's lifetime; a failed one is not kept.
    /// </summary>
    private static readonly HybridCacheEntryOptions SharedExchange = new()
    {
        Flags = HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableLocalCacheWrite,
    };

    private readonly HybridCache _cache = TokenCaches.Create(100_000, distributedCache: null, clock);

    /// <param name="subjectHash">The token's SHA-256 if the bearer handler computed it already.</param>
    public async Task<ExchangeResult> ExchangeAsync(string subjectToken, string? subjectHash, CancellationToken cancellationToken)
    {
        var key = subjectHash ?? TokenHash.Of(subjectToken);
        try
        {
            var identityToken = await _cache.GetOrCreateAsync(key, (Exchanger: this, SubjectToken: subjectToken, Key: key, Caller: Activity.Current),
                static (state, shared) =>
                {
                    CallerTrace.Continue(state.Caller);
                    return state.Exchanger.ExchangeNowAsync(state.SubjectToken, state.Key, shared);
                }, SharedExchange,
                cancellationToken: cancellationToken);
            return new ExchangeResult(identityToken, null);
        }
        catch (ExchangeRefusedException refused)
        {
            return ExchangeResult.Failed(refused.Error);
        }
    }

    private async ValueTask<string> ExchangeNowAsync(string subjectToken, string key, CancellationToken cancellationToken)
    {
        var bearer = tessera.Get(GatewaySchemes.Bearer);
        var configuration = await bearer.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        // RFC 8693 §2.1: the subject token and the audience we want a token for; client_secret_basic (RFC 6749 §2.3.1).
        var response = await bearer.Backchannel.RequestTokenExchangeTokenAsync(new TokenExchangeTokenRequest
        {
            Address = configuration.TokenEndpoint,
            ClientId = gateway.Value.ClientId,
            ClientSecret = gateway.Value.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader,
            AuthorizationHeaderStyle = BasicAuthenticationHeaderStyle.Rfc6749,
            SubjectToken = subjectToken,
            SubjectTokenType = TokenTypeUris.AccessToken,
            Audience = gateway.Value.InternalAudience,
        }, cancellationToken);
        // Tessera unreachable: the request fails as it did before the exchange went through this library.
        if (response.ErrorType == ResponseErrorType.Exception && response.Exception is HttpRequestException)
            ExceptionDispatchInfo.Throw(response.Exception);
        // RFC 8693 §2.2.2: the error code of the token endpoint's JSON; anything else (no JSON, no token) is server_error.
        if (response.Json is not { ValueKind: System.Text.Json.JsonValueKind.Object } json) throw new ExchangeRefusedException("server_error");
        if (response.IsError || response.AccessToken is not { } identityToken)
            throw new ExchangeRefusedException(json.TryGetString("error") ?? "server_error");

        var lifetime = TimeSpan.FromSeconds(response.TryGet("expires_in") is null ? 0 : response.ExpiresIn);
        // Reuse it for its lifetime less a margin (at most half of it), so a service never receives one about to expire.
        var margin = lifetime / 2 < gateway.Value.ExchangeMargin ? lifetime / 2 : gateway.Value.ExchangeMargin;
        if (lifetime - margin > TimeSpan.Zero)
            await _cache.SetAsync(key, identityToken, new HybridCacheEntryOptions
            {
                Expiration = lifetime - margin, LocalCacheExpiration = lifetime - margin, Flags = HybridCacheEntryFlags.DisableDistributedCache,
            }, cancellationToken: CancellationToken.None);
        return identityToken;
    }

    /// <summary>The token endpoint gave no identity token; <see cref="Error"/> is its error code.</summary>
    private sealed class ExchangeRefusedException(string error) : Exception
    {
        public string Error { get; } = error;
    }
}
