using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Apis;
using Tessera.Server.Storage.Clients;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// The configuration as an import document, so every admin change is checked by <see cref="ImportValidator"/> exactly
/// like an import: the current APIs and clients with the change applied are validated as a whole, then applied
/// by <see cref="ImportApplier"/> in one transaction that bumps the change stamp (every node reloads its snapshot).
/// </summary>
internal static class AdminCatalog
{
    /// <summary>Stands in for a stored secret during validation: only its presence matters there, and it is never written.</summary>
    private const string StoredSecret = "(stored secret, kept)_0123456789abcdef";

    /// <summary>The import format, strict: an unknown field is an error, as in an import file.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<ImportDocument> CurrentAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        var apis = await db.ApiResources.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken);
        var clients = await db.Clients.AsNoTracking().OrderBy(c => c.ClientId).ToListAsync(cancellationToken);
        return new ImportDocument
        {
            ApiResources = apis.Select(ToImported).ToList(),
            Clients = clients.Select(c => ToImported(c) with { ClientSecret = c.SecretHash is null ? null : StoredSecret }).ToList(),
        };
    }

    public static ImportedApi ToImported(ApiResource api) => new()
    {
        Name = api.Name,
        Audience = api.Audience,
        Scopes = ScopesOf(api),
        AccessTokenFormat = api.AccessTokenFormat,
        SigningAlgorithm = api.SigningAlgorithm,
        AccessTokenLifetime = TimeSpan.FromSeconds(api.AccessTokenLifetimeSeconds),
        PersonalAccessTokens = api.PersonalAccessTokens,
        UserAccess = api.UserAccess,
        Claims = api.TokenClaims.Length == 0 ? null : [.. SpaceDelimited.Split(api.TokenClaims)],
    };

    private static List<ImportedScope> ScopesOf(ApiResource api)
    {
        var displayNames = ScopeDisplayNamesColumn.Read(api.ScopeDisplayNames);
        return [.. SpaceDelimited.Split(api.Scopes).Select(name => new ImportedScope(name, displayNames.GetValueOrDefault(name)))];
    }

    /// <summary>A client as the admin API shows it: the import format, never with a secret.</summary>
    public static ImportedClient ToImported(Client client) => new()
    {
        ClientId = client.ClientId,
        DisplayName = client.DisplayName,
        LogoUri = client.LogoUri,
        ClientUri = client.ClientUri,
        GrantTypes = SpaceDelimited.Split(client.GrantTypes).ToList(),
        Scopes = SpaceDelimited.Split(client.Scopes).ToList(),
        Jwks = client.JsonWebKeySet is null ? null : JsonDocument.Parse(client.JsonWebKeySet).RootElement.Clone(),
        JwksUri = client.JwksUri,
        RedirectUris = SpaceDelimited.Split(client.RedirectUris).ToList(),
        PostLogoutRedirectUris = SpaceDelimited.Split(client.PostLogoutRedirectUris).ToList(),
        AllowedCorsOrigins = client.AllowedCorsOrigins is null ? null : SpaceDelimited.Split(client.AllowedCorsOrigins).ToList(),
        Public = client.IsPublic,
        RequireConsent = client.RequireConsent,
        Introspects = SpaceDelimited.Split(client.Introspects).ToList(),
        RequirePkce = client.RequirePkce,
        MultiAudienceTokens = client.MultiAudienceTokens,
        IdTokenClaims = client.IdTokenClaims.Length == 0 ? null : [.. SpaceDelimited.Split(client.IdTokenClaims)],
        Administration = client.Administration ? true : null,
        RequireMfa = client.RequireMfa ? true : null,
        RequireDpop = client.RequireDpop ? true : null,
        Origin = client.Origin,
        RequirePushedAuthorizationRequests = client.RequirePushedAuthorizationRequests ? true : null,
        BackchannelLogoutUri = client.BackchannelLogoutUri,
        BackchannelLogoutSessionRequired = client.BackchannelLogoutUri is null ? null : client.BackchannelLogoutSessionRequired,
    };

    /// <summary>Validates the whole document; null when it is valid, else the invalid_request to answer.</summary>
    public static BadRequestError? Problems(ImportDocument document, string issuer)
    {
        var problems = ImportValidator.Validate(document, issuer);
        return problems.Count == 0 ? null : Invalid(problems);
    }

    /// <summary>400 invalid_request with every problem, like an import that fails.</summary>
    public static BadRequestError Invalid(IReadOnlyList<string> problems) => new(OAuthError.InvalidRequest(problems[0]), problems);

    /// <summary>Reads a JSON body of the import format; null and an error result when it is not one.</summary>
    public static async Task<(T? Value, BadRequestError? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            var value = await request.ReadFromJsonAsync<T>(Json, request.HttpContext.RequestAborted);
            return value is null ? (null, NotAnObject()) : (value, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, Unreadable(e));
        }
    }

    /// <summary>Reads a JSON text of the import format (the console's editor); null and an error result when it is not one.</summary>
    public static (T? Value, BadRequestError? Error) Parse<T>(string? json) where T : class
    {
        try
        {
            var value = string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<T>(json, Json);
            return value is null ? (null, NotAnObject()) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Unreadable(e));
        }
    }

    private static BadRequestError Unreadable(Exception e)
    {
        var unknown = e.Message.Contains("could not be mapped", StringComparison.Ordinal);
        return new BadRequestError(OAuthError.InvalidRequest(unknown
            ? $"unknown field at {(e as JsonException)?.Path ?? "$"}"
            : "the body must be a JSON object in the import file's format"));
    }

    /// <summary>Deletes through the same path as a change: one transaction that bumps the change stamp.</summary>
    public static async Task DeleteAsync(TesseraDbContext db, SnapshotCache snapshots, Func<Task> delete, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ChangeStamps.BumpAsync(db, cancellationToken);
        await delete();
        // What else the request added to the context (its audit event) commits with the delete.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);
    }

    public static NotFoundError NotFound(string what) => new(OAuthError.NotFound($"no {what} of that name"));

    public static JsonOk<T> Ok<T>(T value) => new(value, Json);

    public static JsonCreated<T> Created<T>(T value) => new(value, Json);

    private static BadRequestError NotAnObject() => new(OAuthError.InvalidRequest("the body must be a JSON object in the import file's format"));
}
