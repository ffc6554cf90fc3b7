using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.AspNetCore;
using Tessera.Gateway.Configuration;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// OIDC Back-Channel Logout 1.0 §2.6, the checks a relying party makes on a logout token: a JWT of type logout+jwt
/// signed by Tessera (its JWKS), for this client, unexpired, with the back-channel logout event, a sid, no nonce (so an
/// ID token cannot pass for one), and a jti not seen before (kept until the token expires).
/// </summary>
internal sealed class LogoutTokenValidator(IOptionsMonitor<TesseraOptions> tessera, IOptions<GatewayOptions> gateway, IDistributedCache cache)
{
    private const string EventType = "http://schemas.openid.net/event/backchannel-logout";
    private const string JtiPrefix = "tessera:gateway:logout-jti:";
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>The sid the token ends, or the reason it is refused.</summary>
    public async Task<(string? Sid, string? Error)> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token)) return (null, "logout_token is required");
        var configuration = await tessera.Get(GatewaySchemes.Bearer).ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = gateway.Value.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidTypes = ["logout+jwt"],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return (null, "the logout token is not valid");
        // §2.4: the events claim holds the back-channel logout event; a nonce is forbidden.
        if (!jwt.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object || !events.TryGetProperty(EventType, out _))
            return (null, "the logout token has no back-channel logout event");
        if (jwt.TryGetClaim("nonce", out _)) return (null, "a logout token must not have a nonce");
        if (!jwt.TryGetClaim("sid", out var sid) || string.IsNullOrEmpty(sid.Value)) return (null, "the logout token names no session (sid)");
        if (string.IsNullOrEmpty(jwt.Id)) return (null, "the logout token has no jti");

        // §2.6: a logout token seen before is a replay.
        var jtiKey = JtiPrefix + jwt.Id;
        if (await cache.GetAsync(jtiKey, cancellationToken) is not null) return (null, "the logout token was already used");
        await cache.SetAsync(jtiKey, [1], new DistributedCacheEntryOptions { AbsoluteExpiration = jwt.ValidTo.AddMinutes(5) }, cancellationToken);
        return (sid.Value, null);
    }
}
