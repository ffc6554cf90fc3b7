using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens;
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
        [property: JsonPropertyName("expires_in_days")] int? ExpiresInDays);

    public static void MapPersonalAccessTokenEndpoints(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        var group = app.MapGroup(urls.PathBase + EndpointPaths.PersonalAccessTokens)
            .AddEndpointFilter<PersonalAccessTokenApiAuthorization>()
            .WithTags("Personal access tokens");
        group.MapGet("/", ListAsync).WithSummary("The caller's personal access tokens (never the tokens themselves).");
        group.MapPost("/", CreateAsync).Accepts<NewToken>("application/json").WithSummary("Creates a personal access token; the response is the only place the token appears.");
        group.MapDelete("/{id}", RevokeAsync).WithSummary("Revokes one of the caller's personal access tokens.");
    }

    private static async Task<IResult> ListAsync(HttpContext context, PersonalAccessTokenStore store)
    {
        var caller = PersonalAccessTokenApiAuthorization.Caller(context);
        var rows = await store.ListAsync(caller.Subject, context.RequestAborted);
        return ProtocolResults.Json(json =>
        {
            json.WriteStartArray("tokens");
            foreach (var row in rows) WriteToken(json, row);
            json.WriteEndArray();
        });
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, PersonalAccessTokenStore store, SnapshotCache snapshots, IOptions<TesseraOptions> options, TimeProvider clock)
    {
        var caller = PersonalAccessTokenApiAuthorization.Caller(context);
        var settings = options.Value.PersonalAccessTokens;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // RFC 9470 §3: a token minted from an old sign-in (a refreshed session, a stolen token) cannot mint long-lived credentials.
        if (!RecentSignIn.IsRecent(caller.AuthTime, settings.MaxAuthAge, now))
            return ProtocolResults.Error(OAuthError.InsufficientUserAuthentication(
                "creating a personal access token needs a recent sign-in; sign in again", (long)settings.MaxAuthAge.TotalSeconds));
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
            return ProtocolResults.Error(OAuthError.InvalidRequest("the body must be a JSON object with name, scopes, and expires_at or expires_in_days"));
        }
        if (body is null) return ProtocolResults.Error(OAuthError.InvalidRequest("the body must be a JSON object with name, scopes, and expires_at or expires_in_days"));
        if (body.ExpiresAt is not null && body.ExpiresInDays is not null)
            return ProtocolResults.Error(OAuthError.InvalidRequest("give expires_at or expires_in_days, not both"));

        var expiresAt = body.ExpiresAt ?? (body.ExpiresInDays is { } days ? now + (long)days * 86_400 : null);
        var request = PersonalAccessTokenRules.Check(body.Name, body.Scopes, expiresAt, snapshots.Current.Catalog, settings, now);
        if (request.Failed) return ProtocolResults.Error(request.Error);
        if (await store.CountAsync(caller.Subject, context.RequestAborted) >= settings.MaxPerUser)
            return ProtocolResults.Error(OAuthError.InvalidRequest($"a user may hold at most {settings.MaxPerUser} personal access tokens; revoke one first"));

        var (row, token) = await store.CreateAsync(caller.Subject, request.Value.Name, request.Value.Scope, request.Value.ExpiresAt,
            caller.ClientId, context.RequestAborted);
        return ProtocolResults.Json(json =>
        {
            WriteMembers(json, row);
            json.WriteString("token", token);
        }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, PersonalAccessTokenStore store)
    {
        var caller = PersonalAccessTokenApiAuthorization.Caller(context);
        // Another user's token is "not found" too: its id tells nobody anything.
        return await store.RevokeAsync(caller.Subject, id, context.RequestAborted)
            ? Results.NoContent()
            : ProtocolResults.Error(OAuthError.NotFound("no such personal access token"));
    }

    private static void WriteToken(Utf8JsonWriter json, PersonalAccessToken row)
    {
        json.WriteStartObject();
        WriteMembers(json, row);
        json.WriteEndObject();
    }

    private static void WriteMembers(Utf8JsonWriter json, PersonalAccessToken row)
    {
        json.WriteString("id", row.Id);
        json.WriteString("name", row.Name);
        json.WriteStartArray("scopes");
        foreach (var scope in SpaceDelimited.Split(row.Scope)) json.WriteStringValue(scope);
        json.WriteEndArray();
        json.WriteNumber("created_at", row.CreatedAt);
        json.WriteNumber("expires_at", row.ExpiresAt);
        if (row.LastUsedAt is { } lastUsed) json.WriteNumber("last_used_at", lastUsed);
        else json.WriteNull("last_used_at");
    }
}
