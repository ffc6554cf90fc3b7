using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Validation;
using Tessera.Gateway.Authentication;
using Tessera.Gateway.Configuration;

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
    public const string GrantType = Tessera.Protocol.GrantTypeUris.TokenExchange;
    public const string AccessTokenType = Tessera.Protocol.TokenTypeUris.AccessToken;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>A caller's parallel first requests share one exchange.</summary>
    private readonly InFlightCalls<ExchangeResult> _exchanges = new();

    /// <param name="subjectHash">The token's SHA-256 if the bearer handler computed it already.</param>
    public async Task<ExchangeResult> ExchangeAsync(string subjectToken, string? subjectHash, CancellationToken cancellationToken)
    {
        var key = subjectHash ?? TokenHash.Of(subjectToken);
        if (_cache.TryGetValue(key, out string? cached) && cached is not null) return new ExchangeResult(cached, null);
        return await _exchanges.RunAsync(key, shared => ExchangeNowAsync(subjectToken, key, shared), cancellationToken);
    }

    private async Task<ExchangeResult> ExchangeNowAsync(string subjectToken, string key, CancellationToken cancellationToken)
    {
        var bearer = tessera.Get(GatewaySchemes.Bearer);
        var configuration = await bearer.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            // RFC 8693 §2.1: the subject token and the audience we want a token for.
            Content = new FormUrlEncodedContent([
                new("grant_type", GrantType),
                new("subject_token", subjectToken),
                new("subject_token_type", AccessTokenType),
                new("audience", gateway.Value.InternalAudience),
            ]),
        };
        request.Headers.Authorization = SessionRefresher.ClientBasic(gateway.Value);
        using var response = await bearer.Backchannel.SendAsync(request, cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        if (json is null) return ExchangeResult.Failed("server_error");
        var root = json.RootElement;
        if (!response.IsSuccessStatusCode || !root.TryGetProperty("access_token", out var token) || token.GetString() is not { } identityToken)
            return ExchangeResult.Failed(root.TryGetProperty("error", out var error) ? error.GetString() ?? "server_error" : "server_error");

        var lifetime = TimeSpan.FromSeconds(root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 0);
        // Reuse it for its lifetime less a margin (at most half of it), so a service never receives one about to expire.
        var margin = lifetime / 2 < gateway.Value.ExchangeMargin ? lifetime / 2 : gateway.Value.ExchangeMargin;
        if (lifetime - margin > TimeSpan.Zero)
            _cache.Set(key, identityToken, new MemoryCacheEntryOptions { AbsoluteExpiration = clock.GetUtcNow() + lifetime - margin, Size = 1 });
        return new ExchangeResult(identityToken, null);
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
