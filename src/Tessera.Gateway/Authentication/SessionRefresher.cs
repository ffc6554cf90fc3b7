using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Validation;
using Tessera.Gateway.Configuration;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// Keeps a browser session's access token fresh: shortly before it expires the refresh token is redeemed at
/// Tessera (RFC 6749 §6) and the new tokens replace the old in the server-side ticket. A refused refresh ends the session.
/// </summary>
/// <remarks>
/// A page fires several requests at once, each with the same ticket: they share one redemption, and requests still
/// holding the old ticket shortly after get its result. Redeeming one rotating refresh token twice would be a replay
/// (RFC 9700 §4.14.2), which revokes the whole grant and would sign the user out.
/// </remarks>
internal sealed class SessionRefresher(IOptions<GatewayOptions> gateway, IOptionsMonitor<TesseraOptions> tessera, TimeProvider clock)
{
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecentlyRefreshed = TimeSpan.FromMinutes(1);

    private readonly InFlightCalls<RefreshOutcome> _refreshes = new();
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    private sealed record RefreshOutcome((string AccessToken, string? RefreshToken, int ExpiresIn)? Tokens, bool Refused);

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)) return;
        if (expiry - Early > clock.GetUtcNow()) return;

        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        var outcome = refreshToken is null ? new RefreshOutcome(null, Refused: true) : await RefreshOnceAsync(refreshToken, context.HttpContext.RequestAborted);
        if (outcome.Tokens is not { } refreshed)
        {
            context.RejectPrincipal();
            // Only Tessera saying no ends the session; an unreachable Tessera leaves it for the next request to retry.
            if (outcome.Refused) await context.HttpContext.SignOutAsync(GatewaySchemes.Cookie);
            return;
        }
        context.Properties.UpdateTokenValue("access_token", refreshed.AccessToken);
        if (refreshed.RefreshToken is not null) context.Properties.UpdateTokenValue("refresh_token", refreshed.RefreshToken);
        context.Properties.UpdateTokenValue("expires_at", clock.GetUtcNow().AddSeconds(refreshed.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    private async Task<RefreshOutcome> RefreshOnceAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = TokenHash.Of(refreshToken);
        if (_recent.TryGetValue(key, out RefreshOutcome? recent) && recent is not null) return recent;
        return await _refreshes.RunAsync(key, async shared =>
        {
            var outcome = await RefreshAsync(refreshToken, shared);
            if (outcome.Tokens is not null)
                _recent.Set(key, outcome, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RecentlyRefreshed, Size = 1 });
            return outcome;
        }, cancellationToken);
    }

    private async Task<RefreshOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var bearer = tessera.Get(GatewaySchemes.Bearer);
        var configuration = await bearer.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Authorization = ClientBasic(gateway.Value);
        HttpResponseMessage response;
        try
        {
            response = await bearer.Backchannel.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new RefreshOutcome(null, Refused: false);
        }
        using (response)
        {
            // RFC 6749 §5.2: 400 (invalid_grant and the like) or 401 (the gateway's own credentials) is a refusal.
            if (!response.IsSuccessStatusCode)
                return new RefreshOutcome(null, Refused: response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            var root = json.RootElement;
            return new RefreshOutcome((root.GetProperty("access_token").GetString()!,
                root.TryGetProperty("refresh_token", out var rt) ? rt.GetString() : null,
                root.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 300), Refused: false);
        }
    }

    /// <summary>RFC 6749 §2.3.1: client_secret_basic, id and secret form-urlencoded before base64.</summary>
    public static AuthenticationHeaderValue ClientBasic(GatewayOptions options) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}")));
}
