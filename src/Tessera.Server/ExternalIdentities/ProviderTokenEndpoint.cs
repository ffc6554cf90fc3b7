using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// <c>GET /api/users/{sub}/identities/{provider}/token</c>: an application fetches the provider's current access token
/// for one of its users, with a Tessera access token (aud = issuer) carrying <c>tessera:provider-tokens</c> (policy
/// <see cref="BuiltInApiPolicies.ProviderTokens"/>). A client-credentials token may ask for any user; a user's token only
/// for that user. Every release is logged (never the token).
/// </summary>
internal static partial class ProviderTokenEndpoint
{
    public const string Path = "/api/users/{sub}/identities/{provider}/token";

    /// <summary>The provider's token as stored (refreshed first when it had expired).</summary>
    public sealed record ProviderAccessToken(
        [property: JsonPropertyName("provider")] string Provider,
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ExpiresAt,
        [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope,
        [property: JsonPropertyName("openid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OpenId);

    public static void MapProviderTokenEndpoint(this WebApplication app, IssuerUrls urls) =>
        app.MapGet(urls.PathBase + Path, HandleAsync).RequireAuthorization(BuiltInApiPolicies.ProviderTokens)
            .WithTags("Provider tokens").WithSummary("The access token an external provider issued to one of the caller's users.");

    private static async Task<Results<JsonOk<ProviderAccessToken>, ForbiddenError, NotFoundError>> HandleAsync(
        string sub, string provider, HttpContext context, ClaimsPrincipal caller,
        UserManager<TesseraUser> users, ProviderTokens tokens, ProviderTokenRefresher refresher, ILoggerFactory loggers, AuditTrail audit)
    {
        var (callerSubject, clientId) = (caller.Subject(), caller.ClientId());
        // Decided here, not in the policy: the rule compares the token with the user the path names (the resource).
        // RFC 9068 §2.2: sub equals client_id for a client-credentials token; any other sub is a user, who sees only their own.
        var actsForUser = callerSubject != clientId;
        if (actsForUser && callerSubject != sub)
            return new ForbiddenError(OAuthError.InsufficientScope("a user's access token opens only that user's provider tokens", BuiltInApi.ProviderTokensScope));

        var logger = loggers.CreateLogger("Tessera.Audit.ProviderTokens");
        var user = await users.FindByIdAsync(sub);
        var stored = user is null || !(await users.GetLoginsAsync(user)).Any(l => l.LoginProvider == provider) ? null : await tokens.ReadAsync(user, provider);
        if (user is null || stored is null)
        {
            Log.TokenNotFound(logger, clientId, callerSubject, provider, sub);
            return new NotFoundError(OAuthError.NotFound("no token of that provider is stored for that user"));
        }

        if (tokens.IsExpired(stored))
        {
            var refreshed = await refresher.RefreshAsync(provider, stored, context.RequestAborted);
            if (refreshed is null)
            {
                Log.TokenExpiredNotRefreshable(logger, clientId, provider, sub);
                return new NotFoundError(OAuthError.NotFound("the provider token has expired and the provider did not renew it; the user must sign in through the provider again"));
            }
            await tokens.SaveAsync(user, provider, refreshed);
            stored = refreshed;
        }

        Log.TokenReleased(logger, clientId, callerSubject, provider, sub);
        audit.Post(new AuditEntry(AuditEventTypes.ProviderTokenReleased)
        {
            UserId = sub, ClientId = clientId, Details = new Dictionary<string, string?> { ["provider"] = provider },
        }, context);
        return new JsonOk<ProviderAccessToken>(new ProviderAccessToken(
            provider, stored.AccessToken, stored.TokenType ?? "Bearer", stored.ExpiresAt, stored.Scope, stored.OpenId));
    }
}
