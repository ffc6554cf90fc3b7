using System.Diagnostics;
using System.Globalization;
using System.Net;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Caching;
using Tessera.AspNetCore.Validation;
using Tessera.Gateway.Configuration;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// Keeps a browser session's access token fresh: shortly before it expires the refresh token is redeemed at
/// Tessera (RFC 6749 §6) and the new tokens replace the old in the server-side ticket. A refused refresh ends the session.
/// </summary>
/// <remarks>
/// A page fires several requests at once, each with the same ticket: they share one redemption (HybridCache's stampede
/// protection), and requests still holding the old ticket shortly after get its result. Redeeming one rotating refresh
/// token twice would be a replay (RFC 9700 §4.14.2), which revokes the whole grant and would sign the user out.
/// </remarks>
internal sealed class SessionRefresher(
    IOptions<GatewayOptions> gateway, IOptionsMonitor<TesseraOptions> tessera, EndedSessions ended, TimeProvider clock)
{
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(30);

    /// <summary>Memory only: these are a user's tokens, and a shared store would be one more place holding them.</summary>
    private static readonly HybridCacheEntryOptions RecentlyRefreshed = new()
    {
        Expiration = TimeSpan.FromMinutes(1), LocalCacheExpiration = TimeSpan.FromMinutes(1), Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    private readonly HybridCache _recent = TokenCaches.Create(100_000, distributedCache: null, clock,
        cache => cache.AddSerializer(new JsonCacheSerializer<RefreshedTokens>(GatewayCacheJsonContext.Default.RefreshedTokens)));

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        // OIDC Back-Channel Logout: the Tessera session this one began in has ended; so does this one, ticket and all.
        if (context.Principal?.FindFirst("sid")?.Value is { } sid && await ended.HasEndedAsync(sid, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(GatewaySchemes.Cookie);
            return;
        }

        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)) return;
        if (expiry - Early > clock.GetUtcNow()) return;

        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        RefreshedTokens refreshed;
        try
        {
            refreshed = refreshToken is null ? throw new RefreshFailedException(refused: true) : await RefreshOnceAsync(refreshToken, context.HttpContext.RequestAborted);
        }
        catch (RefreshFailedException failed)
        {
            context.RejectPrincipal();
            // Only Tessera saying no ends the session; an unreachable Tessera leaves it for the next request to retry.
            if (failed.Refused) await context.HttpContext.SignOutAsync(GatewaySchemes.Cookie);
            return;
        }
        context.Properties.UpdateTokenValue("access_token", refreshed.AccessToken);
        if (refreshed.RefreshToken is not null) context.Properties.UpdateTokenValue("refresh_token", refreshed.RefreshToken);
        context.Properties.UpdateTokenValue("expires_at", clock.GetUtcNow().AddSeconds(refreshed.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    /// <summary>
    /// A failed redemption throws, so that it is not kept: the next request tries again. The redemption runs to its end
    /// even when every request waiting for it gives up: cut off after Tessera rotated the refresh token, the session
    /// would keep the old one, and redeeming that would be the replay. The backchannel's timeout bounds it.
    /// </summary>
    private Task<RefreshedTokens> RefreshOnceAsync(string refreshToken, CancellationToken cancellationToken) =>
        _recent.GetOrCreateAsync(TokenHash.Of(refreshToken), (Refresher: this, RefreshToken: refreshToken, Caller: Activity.Current),
            static (state, _) =>
            {
                CallerTrace.Continue(state.Caller);
                return state.Refresher.RefreshAsync(state.RefreshToken, CancellationToken.None);
            }, RecentlyRefreshed,
            cancellationToken: cancellationToken).AsTask();

    private async ValueTask<RefreshedTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var bearer = tessera.Get(GatewaySchemes.Bearer);
        var configuration = await bearer.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        TokenResponse response;
        try
        {
            // RFC 6749 §6, the gateway authenticating with client_secret_basic (RFC 6749 §2.3.1).
            response = await bearer.Backchannel.RequestRefreshTokenAsync(new RefreshTokenRequest
            {
                Address = configuration.TokenEndpoint,
                ClientId = gateway.Value.ClientId,
                ClientSecret = gateway.Value.ClientSecret,
                ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader,
                AuthorizationHeaderStyle = BasicAuthenticationHeaderStyle.Rfc6749,
                RefreshToken = refreshToken,
            }, cancellationToken);
        }
        catch (TaskCanceledException)
        {
            throw new RefreshFailedException(refused: false);
        }
        // RFC 6749 §5.2: 400 (invalid_grant and the like) or 401 (the gateway's own credentials) is a refusal; no answer
        // (Tessera unreachable) or another status is not.
        if (response.IsError || response.AccessToken is null)
            throw new RefreshFailedException(refused: response.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized);
        return new RefreshedTokens(response.AccessToken, response.RefreshToken, response.TryGet("expires_in") is null ? 300 : response.ExpiresIn);
    }

    /// <summary>The redemption gave no tokens; <see cref="Refused"/> when Tessera said no (the session ends).</summary>
    private sealed class RefreshFailedException(bool refused) : Exception
    {
        public bool Refused { get; } = refused;
    }
}
