using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.ExternalIdentities.WeChat;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.ExternalIdentities;

/// <summary>What a provider issued at the user's last sign-in (or last refresh).</summary>
public sealed record ProviderTokenSet(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_at")] long? ExpiresAt,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("openid")] string? OpenId);

/// <summary>
/// Provider tokens in Identity's <c>AspNetUserTokens</c> table (one row per user and provider), the whole set encrypted
/// with Data Protection, so a database dump does not hand out the users' access at GitHub or WeChat.
/// </summary>
internal sealed class ProviderTokens(UserManager<TesseraUser> users, IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public const string TokenName = "provider_tokens";
    /// <summary>Where the sign-in stashes the scope the provider granted (token responses carry it; SaveTokens does not).</summary>
    public const string GrantedScopeItem = "tessera.granted_scope";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Tessera.ExternalIdentities.ProviderTokens.v1");

    /// <summary>The tokens the remote handler saved in the external sign-in's properties (SaveTokens), or null when it saved none.</summary>
    public static ProviderTokenSet? FromSignIn(AuthenticationProperties properties, IEnumerable<string> configuredScopes)
    {
        var access = properties.GetTokenValue("access_token");
        if (string.IsNullOrEmpty(access)) return null;
        long? expiresAt = DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToUnixTimeSeconds() : null;
        properties.Items.TryGetValue(GrantedScopeItem, out var granted);
        properties.Items.TryGetValue(WeChatHandler.OpenIdClaim, out var openId);
        return new ProviderTokenSet(access, properties.GetTokenValue("refresh_token"), expiresAt,
            string.IsNullOrEmpty(granted) ? string.Join(' ', configuredScopes) : granted, properties.GetTokenValue("token_type"), openId);
    }

    public async Task SaveAsync(TesseraUser user, string provider, ProviderTokenSet tokens)
    {
        var result = await users.SetAuthenticationTokenAsync(user, provider, TokenName, _protector.Protect(JsonSerializer.Serialize(tokens)));
        if (!result.Succeeded) throw new InvalidOperationException("The provider tokens could not be stored.");
    }

    public async Task<ProviderTokenSet?> ReadAsync(TesseraUser user, string provider)
    {
        var stored = await users.GetAuthenticationTokenAsync(user, provider, TokenName);
        if (stored is null) return null;
        try
        {
            return JsonSerializer.Deserialize<ProviderTokenSet>(_protector.Unprotect(stored));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A key ring that lost the key: treat as absent; the next sign-in stores a fresh set.
            return null;
        }
    }

    public Task RemoveAsync(TesseraUser user, string provider) => users.RemoveAuthenticationTokenAsync(user, provider, TokenName);

    /// <summary>Expired, or expiring within a minute: refresh it before handing it out.</summary>
    public bool IsExpired(ProviderTokenSet tokens) => tokens.ExpiresAt is { } at && at <= clock.GetUtcNow().ToUnixTimeSeconds() + 60;
}
