using System.Runtime.ExceptionServices;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.ExternalIdentities.WeChat;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// Refreshes an expired provider access token with the refresh token the provider gave: RFC 6749 §6 for OpenID Connect
/// providers and GitHub, WeChat's own GET to <c>sns/oauth2/refresh_token</c>.
/// </summary>
internal sealed class ProviderTokenRefresher(
    IOptions<TesseraOptions> options, IOptionsMonitor<OpenIdConnectOptions> oidc, IOptionsMonitor<OAuthOptions> oauth,
    IOptionsMonitor<WeChatOptions> wechat, TimeProvider clock)
{
    /// <summary>The new set, or null when the provider refused (the user must sign in again).</summary>
    public async Task<ProviderTokenSet?> RefreshAsync(string provider, ProviderTokenSet tokens, CancellationToken cancellationToken)
    {
        if (tokens.RefreshToken is null || !options.Value.ExternalProviders.TryGetValue(provider, out var configured)) return null;
        switch (configured.Type)
        {
            case ExternalProviderTypes.WeChat:
                {
                    var o = wechat.Get(provider);
                    var url = QueryHelpers.AddQueryString(o.RefreshEndpoint, new Dictionary<string, string?>
                    {
                        ["appid"] = o.ClientId, ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.RefreshToken,
                    });
                    var (document, _) = await WeChatHandler.GetJsonAsync(o.Backchannel, url, cancellationToken);
                    using (document) return document is null ? null : Read(document.RootElement, tokens);
                }
            case ExternalProviderTypes.GitHub:
                {
                    var o = oauth.Get(provider);
                    return await PostRefreshAsync(o.Backchannel, o.TokenEndpoint, o.ClientId, o.ClientSecret!, tokens, cancellationToken);
                }
            default:
                {
                    var o = oidc.Get(provider);
                    var configuration = o.Configuration ?? await o.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
                    return await PostRefreshAsync(o.Backchannel, configuration.TokenEndpoint, o.ClientId!, o.ClientSecret!, tokens, cancellationToken);
                }
        }
    }

    private async Task<ProviderTokenSet?> PostRefreshAsync(HttpClient backchannel, string endpoint, string clientId, string clientSecret,
        ProviderTokenSet tokens, CancellationToken cancellationToken)
    {
        // RFC 6749 §6: grant_type=refresh_token; the client authenticates as at the code exchange (client_secret_post).
        var response = await backchannel.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = endpoint, ClientId = clientId, ClientSecret = clientSecret, ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = tokens.RefreshToken!,
        }, cancellationToken);
        // An unreachable provider or a body that is not JSON fails the call, as an error of the provider's doing.
        if (response.ErrorType == ResponseErrorType.Exception) ExceptionDispatchInfo.Throw(response.Exception!);
        using var http = response.HttpResponse;
        if (response.HttpResponse?.IsSuccessStatusCode != true || response.Json is not { ValueKind: JsonValueKind.Object } answer) return null;
        // GitHub answers a refused refresh with 200 and an "error" member.
        return answer.TryGetProperty("error", out _) ? null : Read(answer, tokens);
    }

    /// <summary>RFC 6749 §6: a new refresh token replaces the old one only when the answer has one; scope likewise.</summary>
    private ProviderTokenSet? Read(JsonElement answer, ProviderTokenSet old)
    {
        if (String(answer, "access_token") is not { Length: > 0 } access) return null;
        long? expiresAt = answer.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt64(out var seconds)
            ? clock.GetUtcNow().ToUnixTimeSeconds() + seconds : null;
        return old with
        {
            AccessToken = access,
            RefreshToken = String(answer, "refresh_token") ?? old.RefreshToken,
            ExpiresAt = expiresAt,
            Scope = String(answer, "scope") ?? old.Scope,
            TokenType = String(answer, "token_type") ?? old.TokenType,
            OpenId = String(answer, "openid") ?? old.OpenId,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
