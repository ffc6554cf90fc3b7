using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tessera.Protocol.Dpop;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.PersonalAccessTokens;

/// <summary>
/// The PAT API the CLI uses: <c>GET /api/pats</c> (list), <c>POST /api/pats</c> (create; the token is in this response
/// only), <c>DELETE /api/pats/{id}</c> (revoke). The same rules as the account page.
/// </summary>
internal static class PersonalAccessTokenRoutes
{
    public sealed record NewToken(
        string? Name,
        IReadOnlyList<string>? Scopes,
        [property: JsonPropertyName("expires_at")] long? ExpiresAt,
        [property: JsonPropertyName("expires_in_days")] int? ExpiresInDays,
        [property: JsonPropertyName("dpop_jkt")] string? DpopJkt = null);

    /// <summary>A token as the list shows it: never the token itself.</summary>
    public sealed record TokenView(
        string Id,
        string Name,
        IReadOnlyList<string> Scopes,
        [property: JsonPropertyName("created_at")] long CreatedAt,
        [property: JsonPropertyName("expires_at")] long ExpiresAt,
        [property: JsonPropertyName("last_used_at")] long? LastUsedAt)
    {
        public static TokenView Of(PersonalAccessToken row) =>
            new(row.Id, row.Name, SpaceDelimited.Split(row.Scope), row.CreatedAt, row.ExpiresAt, row.LastUsedAt) { DpopJkt = row.Jkt };

        /// <summary>RFC 9449 §6.2: the key a bound token is usable with; absent for a Bearer PAT.</summary>
        [JsonPropertyName("dpop_jkt")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? DpopJkt { get; init; }
    }

    public sealed record TokenList(IReadOnlyList<TokenView> Tokens);

    /// <summary>A created token: what the list shows, and the token, in this response only.</summary>
    public sealed record CreatedToken(
        string Id,
        string Name,
        IReadOnlyList<string> Scopes,
        [property: JsonPropertyName("created_at")] long CreatedAt,
        [property: JsonPropertyName("expires_at")] long ExpiresAt,
        [property: JsonPropertyName("last_used_at")] long? LastUsedAt,
        string Token)
    {
        public static CreatedToken Of(PersonalAccessToken row, string token) =>
            new(row.Id, row.Name, SpaceDelimited.Split(row.Scope), row.CreatedAt, row.ExpiresAt, row.LastUsedAt, token) { DpopJkt = row.Jkt };

        [JsonPropertyName("dpop_jkt")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? DpopJkt { get; init; }
    }

    public static void MapPersonalAccessTokenEndpoints(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        var group = app.MapGroup(urls.PathBase + EndpointPaths.PersonalAccessTokens).WithTags("Personal access tokens");
        group.MapGet("/", ListAsync).RequireAuthorization(BuiltInApiPolicies.PersonalAccessTokens)
            .WithSummary("The caller's personal access tokens (never the tokens themselves).");
        // Minting a long-lived credential needs a recent sign-in too (RecentSignInRequirement).
        group.MapPost("/", CreateAsync).RequireAuthorization(BuiltInApiPolicies.PersonalAccessTokenCreation).Accepts<NewToken>("application/json")
            .WithSummary("Creates a personal access token; the response is the only place the token appears.");
        group.MapDelete("/{id}", RevokeAsync).RequireAuthorization(BuiltInApiPolicies.PersonalAccessTokens)
            .WithSummary("Revokes one of the caller's personal access tokens.");
    }

    private static async Task<JsonOk<TokenList>> ListAsync(ClaimsPrincipal caller, PersonalAccessTokenStore store, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(caller.Subject(), cancellationToken);
        return new JsonOk<TokenList>(new TokenList([.. rows.Select(TokenView.Of)]));
    }

    private static async Task<Results<JsonCreated<CreatedToken>, BadRequestError>> CreateAsync(
        HttpContext context, ClaimsPrincipal caller, PersonalAccessTokenStore store, SnapshotCache snapshots, IOptions<TesseraOptions> options, TimeProvider clock,
        UserPermissions permissions)
    {
        var settings = options.Value.PersonalAccessTokens;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        NewToken? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<NewToken>(new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            }, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new BadRequestError(OAuthError.InvalidRequest("the body must be a JSON object with name, scopes, and expires_at or expires_in_days"));
        }
        if (body is null) return new BadRequestError(OAuthError.InvalidRequest("the body must be a JSON object with name, scopes, and expires_at or expires_in_days"));
        if (body.ExpiresAt is not null && body.ExpiresInDays is not null)
            return new BadRequestError(OAuthError.InvalidRequest("give expires_at or expires_in_days, not both"));
        // RFC 9449 §10's dpop_jkt, for a PAT: the token works only with DPoP proofs of that key (a CLI that keeps one).
        if (body.DpopJkt is not null && !DpopKeyThumbprint.IsWellFormed(body.DpopJkt))
            return new BadRequestError(OAuthError.InvalidRequest("dpop_jkt must be a key's RFC 7638 SHA-256 thumbprint, base64url (43 characters)"));

        var expiresAt = body.ExpiresAt ?? (body.ExpiresInDays is { } days ? now + (long)days * 86_400 : null);
        var subject = caller.Subject();
        var held = await permissions.OfAsync(subject, context.RequestAborted);
        var request = PersonalAccessTokenRules.Check(body.Name, body.Scopes, expiresAt, snapshots.Current.Catalog, held, settings, now);
        if (request.Failed) return new BadRequestError(request.Error);
        if (await store.CountAsync(subject, context.RequestAborted) >= settings.MaxPerUser)
            return new BadRequestError(OAuthError.InvalidRequest($"a user may hold at most {settings.MaxPerUser} personal access tokens; revoke one first"));

        var (row, token) = await store.CreateAsync(subject, request.Value.Name, request.Value.Scope, request.Value.ExpiresAt,
            caller.ClientId(), body.DpopJkt, context.RequestAborted);
        return new JsonCreated<CreatedToken>(CreatedToken.Of(row, token));
    }

    private static async Task<Results<NoContent, NotFoundError>> RevokeAsync(string id, ClaimsPrincipal caller, PersonalAccessTokenStore store, CancellationToken cancellationToken) =>
        // Another user's token is "not found" too: its id tells nobody anything.
        await store.RevokeAsync(caller.Subject(), id, cancellationToken)
            ? TypedResults.NoContent()
            : new NotFoundError(OAuthError.NotFound("no such personal access token"));
}
