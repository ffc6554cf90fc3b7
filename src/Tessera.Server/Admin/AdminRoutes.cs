using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Keys;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// The admin HTTP API (policy <see cref="BuiltInApiPolicies.Admin"/>: an administrative client's tessera:admin bearer
/// token): clients, APIs and users (the import file's format, the same validation), signing keys and shared API
/// secrets. Described at /openapi/v1.json.
/// </summary>
internal static class AdminRoutes
{
    public sealed record SigningKeyView(
        string Kid,
        string Alg,
        string Status,
        [property: JsonPropertyName("activates_at")] long ActivatesAt,
        [property: JsonPropertyName("unpublish_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UnpublishAt);

    public sealed record SigningKeyList(IReadOnlyList<SigningKeyView> Keys);

    public sealed record RotatedKey(string Kid, string Alg);

    /// <summary>A new shared secret of an HS256/384/512 API (base64url), shown this once.</summary>
    public sealed record ApiSecret(string Api, string Alg, string Secret);

    public static void MapAdminEndpoints(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        var admin = app.MapGroup(urls.PathBase + EndpointPaths.Admin).RequireAuthorization(BuiltInApiPolicies.Admin);

        var keys = admin.MapGroup("/keys").WithTags("Keys");
        keys.MapGet("/", ListKeys).WithSummary("The signing keys: current, next and retired.");
        keys.MapPost("/rotate", RotateKeyAsync).WithSummary("Makes a new key of ?algorithm= (default RS256) sign from now on.");

        var clients = admin.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("/", AdminClients.ListAsync).WithSummary("Every client, in the import file's format (never a secret).");
        clients.MapGet("/{clientId}", AdminClients.GetAsync).WithSummary("One client.");
        clients.MapPost("/", AdminClients.CreateAsync).Accepts<ImportedClient>("application/json")
            .WithSummary("Creates a client; a confidential one without clientSecret or jwks gets a generated secret, returned once.");
        clients.MapPut("/{clientId}", AdminClients.ReplaceAsync).Accepts<ImportedClient>("application/json")
            .WithSummary("Replaces a client; without clientSecret it keeps the one it has.");
        clients.MapDelete("/{clientId}", AdminClients.DeleteAsync).WithSummary("Deletes a client and the consents given to it.");

        var apis = admin.MapGroup("/apis").WithTags("APIs");
        apis.MapGet("/", AdminApis.ListAsync).WithSummary("Every API resource, in the import file's format.");
        apis.MapGet("/{name}", AdminApis.GetAsync).WithSummary("One API resource.");
        apis.MapPost("/", AdminApis.CreateAsync).Accepts<ImportedApi>("application/json").WithSummary("Creates an API resource.");
        apis.MapPut("/{name}", AdminApis.ReplaceAsync).Accepts<ImportedApi>("application/json").WithSummary("Replaces an API resource.");
        apis.MapDelete("/{name}", AdminApis.DeleteAsync).WithSummary("Deletes an API resource no client uses.");
        apis.MapPost("/{name}/signing-secret", ResetApiSecretAsync).WithSummary("A new shared secret for an HS256/384/512 API, shown once.");

        var roles = admin.MapGroup("/roles").WithTags("Roles");
        roles.MapGet("/", AdminRoles.ListAsync).WithSummary("Every role with its permissions (scope names).");
        roles.MapGet("/{name}", AdminRoles.GetAsync).WithSummary("One role.");
        roles.MapPost("/", AdminRoles.CreateAsync).Accepts<ImportedRole>("application/json").WithSummary("Creates a role.");
        roles.MapPut("/{name}", AdminRoles.ReplaceAsync).Accepts<ImportedRole>("application/json")
            .WithSummary("Replaces a role's description and permissions; PATs carrying a permission taken away end.");
        roles.MapDelete("/{name}", AdminRoles.DeleteAsync).WithSummary("Deletes a role; its members' PATs carrying what it gave end.");

        var users = admin.MapGroup("/users").WithTags("Users");
        users.MapGet("/", AdminUsers.ListAsync).WithSummary("Users by username, 1000 at a time (?skip=N).");
        users.MapPost("/", AdminUsers.CreateAsync).Accepts<AdminUsers.NewUser>("application/json").WithSummary("Creates a user.");
        users.MapPut("/{username}", AdminUsers.UpdateAsync).Accepts<AdminUsers.UserChange>("application/json")
            .WithSummary("Changes the fields given: password, email, emailVerified, name. A new password ends every session and token of the user.");
        users.MapGet("/{username}/roles", AdminRoles.ShowAssignedAsync).WithSummary("The user's roles.");
        users.MapPut("/{username}/roles", AdminRoles.AssignAsync).Accepts<AdminRoles.RoleAssignment>("application/json")
            .WithSummary("Sets the user's roles ({\"roles\": [...]} replaces the set); PATs carrying a permission taken away end.");
        users.MapDelete("/{username}", AdminUsers.DeleteAsync).WithSummary("Deletes a user, revoking their sessions, personal access tokens and grants.");
        users.MapPost("/{username}/disable", AdminUsers.DisableAsync)
            .WithSummary("Disables a user: no sign-in, refresh or token use; ends every session and revokes every token.");
        users.MapPost("/{username}/enable", AdminUsers.EnableAsync).WithSummary("Enables a disabled user again; revoked tokens stay revoked.");
        users.MapPost("/{username}/revoke", AdminUsers.RevokeAsync)
            .WithSummary("Ends every session and revokes every refresh token and personal access token of a user, who stays enabled.");
    }

    private static JsonOk<SigningKeyList> ListKeys(SnapshotCache snapshots, TimeProvider clock)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var ring = snapshots.Current.Keys;
        return new JsonOk<SigningKeyList>(new SigningKeyList([.. ring.Keys.Select(key => new SigningKeyView(
            key.KeyId, key.Algorithm,
            ring.SigningKey(key.Algorithm, now) == key ? "current" : key.ActivatesAt > now ? "next" : "retired",
            key.ActivatesAt, key.UnpublishAt))]));
    }

    private static async Task<Results<JsonOk<RotatedKey>, BadRequestError>> RotateKeyAsync(HttpContext context, KeyManager keys, SnapshotCache snapshots)
    {
        var algorithm = context.Request.Query["algorithm"].FirstOrDefault() ?? SigningAlgorithms.RS256;
        if (!KeyManager.AlgorithmsInUse(snapshots.Current.Catalog).Contains(algorithm))
            return new BadRequestError(OAuthError.InvalidRequest($"no key of algorithm '{algorithm}' is in use"));
        var key = await keys.RotateNowAsync(algorithm, context.RequestAborted);
        return new JsonOk<RotatedKey>(new RotatedKey(key.Id, key.Algorithm));
    }

    /// <summary>Generates a new shared secret for an HS256/384/512 API and shows it this once.</summary>
    private static async Task<Results<JsonOk<ApiSecret>, BadRequestError, NotFoundError>> ResetApiSecretAsync(string name, TesseraDbContext db, ApiSecretProtector secrets, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        var api = await db.ApiResources.SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
        // not_found with its description, like every other admin route (a bare 404 until the routes had typed results).
        if (api is null) return AdminCatalog.NotFound("API");
        if (!SigningAlgorithms.IsSymmetric(api.SigningAlgorithm))
            return new BadRequestError(OAuthError.InvalidRequest($"API '{name}' signs with {api.SigningAlgorithm}: its keys are in the JWKS, it has no shared secret"));

        var (secret, protectedSecret) = secrets.Generate(api.SigningAlgorithm);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        api.ProtectedSigningSecret = protectedSecret;
        await db.SaveChangesAsync(cancellationToken);
        await ChangeStamps.BumpAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);

        return new JsonOk<ApiSecret>(new ApiSecret(api.Name, api.SigningAlgorithm, ApiSecretProtector.Encode(secret)));
    }
}
