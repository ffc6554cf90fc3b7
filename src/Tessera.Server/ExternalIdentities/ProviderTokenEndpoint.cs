using Microsoft.AspNetCore.Identity;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// <c>GET /api/users/{sub}/identities/{provider}/token</c>: an application fetches the provider's current access token
/// for one of its users, with a Tessera access token (aud = issuer) carrying <c>tessera:provider-tokens</c>. A
/// client-credentials token may ask for any user; a user's token only for that user. Every release is logged (never the token).
/// </summary>
internal static class ProviderTokenEndpoint
{
    public const string Path = "/api/users/{sub}/identities/{provider}/token";

    public static void MapProviderTokenEndpoint(this WebApplication app, IssuerUrls urls) =>
        app.MapGet(urls.PathBase + Path, HandleAsync);

    private static async Task<IResult> HandleAsync(
        string sub, string provider, HttpContext context, BuiltInApiBearer bearer,
        UserManager<TesseraUser> users, ProviderTokens tokens, ProviderTokenRefresher refresher, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        var (token, refusal) = await bearer.AuthenticateAsync(context, BuiltInApi.ProviderTokensScope);
        if (token is null) return refusal!;
        // RFC 9068 §2.2: sub equals client_id for a client-credentials token; any other sub is a user, who sees only their own.
        var actsForUser = token.Subject != token.ClientId;
        if (actsForUser && token.Subject != sub)
            return ProtocolResults.Error(OAuthError.InsufficientScope("a user's access token opens only that user's provider tokens", BuiltInApi.ProviderTokensScope));

        var logger = loggers.CreateLogger("Tessera.Audit.ProviderTokens");
        var user = await users.FindByIdAsync(sub);
        var stored = user is null || !(await users.GetLoginsAsync(user)).Any(l => l.LoginProvider == provider) ? null : await tokens.ReadAsync(user, provider);
        if (user is null || stored is null)
        {
            logger.LogInformation("Provider token not found: client {ClientId} (sub {Caller}) asked for the {Provider} token of user {UserId}", token.ClientId, token.Subject, provider, sub);
            return NotFound("no token of that provider is stored for that user");
        }

        if (tokens.IsExpired(stored))
        {
            var refreshed = await refresher.RefreshAsync(provider, stored, context.RequestAborted);
            if (refreshed is null)
            {
                logger.LogInformation("Provider token expired and not refreshable: client {ClientId} asked for the {Provider} token of user {UserId}", token.ClientId, provider, sub);
                return NotFound("the provider token has expired and the provider did not renew it; the user must sign in through the provider again");
            }
            await tokens.SaveAsync(user, provider, refreshed);
            stored = refreshed;
        }

        logger.LogInformation("Provider token released: client {ClientId} (sub {Caller}) fetched the {Provider} token of user {UserId}", token.ClientId, token.Subject, provider, sub);
        return ProtocolResults.Json(json =>
        {
            json.WriteString("provider", provider);
            json.WriteString("access_token", stored.AccessToken);
            json.WriteString("token_type", stored.TokenType ?? "Bearer");
            if (stored.ExpiresAt is { } expiresAt) json.WriteNumber("expires_at", expiresAt);
            if (stored.Scope is not null) json.WriteString("scope", stored.Scope);
            if (stored.OpenId is not null) json.WriteString("openid", stored.OpenId);
        });
    }

    private static IResult NotFound(string description) => ProtocolResults.Json(json =>
    {
        json.WriteString("error", "not_found");
        json.WriteString("error_description", description);
    }, StatusCodes.Status404NotFound);
}
