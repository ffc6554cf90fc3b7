using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.Gateway.Configuration;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// Keeps a browser session's access token fresh: shortly before it expires the refresh token is redeemed at
/// Tessera (RFC 6749 §6) and the new tokens replace the old in the server-side ticket. A refused refresh ends the session.
/// </summary>
internal sealed class SessionRefresher(IOptions<GatewayOptions> gateway, IOptionsMonitor<TesseraOptions> tessera, TimeProvider clock)
{
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(30);

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)) return;
        if (expiry - Early > clock.GetUtcNow()) return;

        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        var refreshed = refreshToken is null ? null : await RefreshAsync(refreshToken, context.HttpContext.RequestAborted);
        if (refreshed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(GatewaySchemes.Cookie);
            return;
        }
        context.Properties.UpdateTokenValue("access_token", refreshed.Value.AccessToken);
        if (refreshed.Value.RefreshToken is not null) context.Properties.UpdateTokenValue("refresh_token", refreshed.Value.RefreshToken);
        context.Properties.UpdateTokenValue("expires_at", clock.GetUtcNow().AddSeconds(refreshed.Value.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    private async Task<(string AccessToken, string? RefreshToken, int ExpiresIn)?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var bearer = tessera.Get(GatewaySchemes.Bearer);
        var configuration = await bearer.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Authorization = ClientBasic(gateway.Value);
        using var response = await bearer.Backchannel.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode) return null;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = json.RootElement;
        return (root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var rt) ? rt.GetString() : null,
            root.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 300);
    }

    /// <summary>RFC 6749 §2.3.1: client_secret_basic, id and secret form-urlencoded before base64.</summary>
    public static AuthenticationHeaderValue ClientBasic(GatewayOptions options) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}")));
}
