using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Apis;
using Tessera.Server.Audit;
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
        keys.MapGet("/", ListKeys).WithSummary("The signing keys: current, next and retired.")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("keys"));
        keys.MapPost("/rotate", RotateKeyAsync).Audited(AuditEventTypes.KeyRotated, AuditJoin.HandlerWritesIt).WithSummary("Makes a new key of ?algorithm= (default RS256) sign from now on.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("keys"));

        var clients = admin.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("/", AdminClients.ListAsync).WithSummary("Every client, in the import file's format (never a secret).")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("clients"));
        clients.MapGet("/{clientId}", AdminClients.GetAsync).WithSummary("One client.")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("clients"));
        clients.MapPost("/", AdminClients.CreateAsync).Audited(AuditEventTypes.ClientCreated, AuditJoin.HandlerTransaction).Accepts<ImportedClient>("application/json")
            .WithSummary("Creates a client; a confidential one without clientSecret or jwks gets a generated secret, returned once.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("clients"));
        clients.MapPut("/{clientId}", AdminClients.ReplaceAsync).Audited(AuditEventTypes.ClientUpdated, AuditJoin.HandlerTransaction).Accepts<ImportedClient>("application/json")
            .WithSummary("Replaces a client; without clientSecret it keeps the one it has.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("clients"));
        clients.MapDelete("/{clientId}", AdminClients.DeleteAsync).Audited(AuditEventTypes.ClientDeleted, AuditJoin.HandlerTransaction).WithSummary("Deletes a client and the consents given to it.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("clients"));

        var apis = admin.MapGroup("/apis").WithTags("APIs");
        apis.MapGet("/", AdminApis.ListAsync).WithSummary("Every API resource, in the import file's format.")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("apis"));
        apis.MapGet("/{name}", AdminApis.GetAsync).WithSummary("One API resource.")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("apis"));
        apis.MapPost("/", AdminApis.CreateAsync).Audited(AuditEventTypes.ApiCreated, AuditJoin.HandlerTransaction).Accepts<ImportedApi>("application/json").WithSummary("Creates an API resource.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("apis"));
        apis.MapPut("/{name}", AdminApis.ReplaceAsync).Audited(AuditEventTypes.ApiUpdated, AuditJoin.HandlerTransaction).Accepts<ImportedApi>("application/json").WithSummary("Replaces an API resource.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("apis"));
        apis.MapDelete("/{name}", AdminApis.DeleteAsync).Audited(AuditEventTypes.ApiDeleted, AuditJoin.HandlerTransaction).WithSummary("Deletes an API resource no client uses.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("apis"));
        apis.MapPost("/{name}/signing-secret", ResetApiSecretAsync).Audited(AuditEventTypes.ApiSecretReset, AuditJoin.HandlerTransaction).WithSummary("A new shared secret for an HS256/384/512 API, shown once.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("apis"));

        var roles = admin.MapGroup("/roles").WithTags("Roles");
        roles.MapGet("/", AdminRoles.ListAsync).WithSummary("Every role with its permissions (scope names).")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("roles"));
        roles.MapGet("/{name}", AdminRoles.GetAsync).WithSummary("One role.")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("roles"));
        roles.MapPost("/", AdminRoles.CreateAsync).Audited(AuditEventTypes.RoleCreated, AuditJoin.AfterSuccess).Accepts<ImportedRole>("application/json").WithSummary("Creates a role.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("roles"));
        roles.MapPut("/{name}", AdminRoles.ReplaceAsync).Audited(AuditEventTypes.RoleUpdated, AuditJoin.AfterSuccess).Accepts<ImportedRole>("application/json")
            .WithSummary("Replaces a role's description and permissions; PATs carrying a permission taken away end.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("roles"));
        roles.MapDelete("/{name}", AdminRoles.DeleteAsync).Audited(AuditEventTypes.RoleDeleted, AuditJoin.AfterSuccess).WithSummary("Deletes a role; its members' PATs carrying what it gave end.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("roles"));

        admin.MapGet("/audit", AdminAudit.ListAsync).WithTags("Audit")
            .WithSummary("The audit trail, newest first: ?type=&user=&client=&since=&until=&cursor=&limit= (or ?after=ID, oldest first).")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("audit"));

        var users = admin.MapGroup("/users").WithTags("Users");
        users.MapGet("/", AdminUsers.ListAsync).WithSummary("Users by username, 1000 at a time (?skip=N).")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("users"));
        users.MapPost("/", AdminUsers.CreateAsync).Audited(AuditEventTypes.UserCreated, AuditJoin.AfterSuccess).Accepts<AdminUsers.NewUser>("application/json").WithSummary("Creates a user.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
        users.MapPut("/{username}", AdminUsers.UpdateAsync).Audited(AuditEventTypes.UserUpdated, AuditJoin.AfterSuccess).Accepts<AdminUsers.UserChange>("application/json")
            .WithSummary("Changes the fields given: password, email, emailVerified, name. A new password ends every session and token of the user.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
        users.MapGet("/{username}/roles", AdminRoles.ShowAssignedAsync).WithSummary("The user's roles.")
            .RequireAuthorization(BuiltInApiPolicies.AdminRead("roles"));
        users.MapPut("/{username}/roles", AdminRoles.AssignAsync).Audited(AuditEventTypes.UserRolesChanged, AuditJoin.AfterSuccess).Accepts<AdminRoles.RoleAssignment>("application/json")
            .WithSummary("Sets the user's roles ({\"roles\": [...]} replaces the set); PATs carrying a permission taken away end.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("roles"));
        users.MapDelete("/{username}", AdminUsers.DeleteAsync).Audited(AuditEventTypes.UserDeleted, AuditJoin.AfterSuccess).WithSummary("Deletes a user, revoking their sessions, personal access tokens and grants.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
        users.MapPost("/{username}/disable", AdminUsers.DisableAsync).Audited(AuditEventTypes.UserDisabled, AuditJoin.AfterSuccess)
            .WithSummary("Disables a user: no sign-in, refresh or token use; ends every session and revokes every token.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
        users.MapPost("/{username}/enable", AdminUsers.EnableAsync).Audited(AuditEventTypes.UserEnabled, AuditJoin.AfterSuccess).WithSummary("Enables a disabled user again; revoked tokens stay revoked.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
        users.MapPost("/{username}/reset-mfa", AdminUsers.ResetMfaAsync).Audited(AuditEventTypes.UserMfaReset, AuditJoin.AfterSuccess)
            .WithSummary("Turns off a user's two-factor sign-in (a lost authenticator): the old key and recovery codes stop working, every session and token ends.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
        users.MapPost("/{username}/revoke", AdminUsers.RevokeAsync).Audited(AuditEventTypes.UserTokensRevoked, AuditJoin.AfterSuccess)
            .WithSummary("Ends every session and revokes every refresh token and personal access token of a user, who stays enabled.")
            .RequireAuthorization(BuiltInApiPolicies.AdminWrite("users"));
    }

    public static JsonOk<SigningKeyList> ListKeys(SnapshotCache snapshots, TimeProvider clock)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var ring = snapshots.Current.Keys;
        return new JsonOk<SigningKeyList>(new SigningKeyList([.. ring.Keys.Select(key => new SigningKeyView(
            key.KeyId, key.Algorithm,
            ring.SigningKey(key.Algorithm, now) == key ? "current" : key.ActivatesAt > now ? "next" : "retired",
            key.ActivatesAt, key.UnpublishAt))]));
    }

    private static Task<Results<JsonOk<RotatedKey>, BadRequestError>> RotateKeyAsync(HttpContext context, KeyManager keys, SnapshotCache snapshots) =>
        RotateSigningKeyAsync(context.Request.Query["algorithm"].FirstOrDefault() ?? SigningAlgorithms.RS256, keys, snapshots, context.RequestAborted);

    /// <summary>The rotation itself, for the admin API's query and the console's form alike (the key manager writes the audit event).</summary>
    public static async Task<Results<JsonOk<RotatedKey>, BadRequestError>> RotateSigningKeyAsync(string algorithm, KeyManager keys, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        if (!KeyManager.AlgorithmsInUse(snapshots.Current.Catalog).Contains(algorithm))
            return new BadRequestError(OAuthError.InvalidRequest($"no key of algorithm '{algorithm}' is in use"));
        var key = await keys.RotateNowAsync(algorithm, cancellationToken);
        return new JsonOk<RotatedKey>(new RotatedKey(key.Id, key.Algorithm));
    }

    /// <summary>Generates a new shared secret for an HS256/384/512 API and shows it this once.</summary>
    public static async Task<Results<JsonOk<ApiSecret>, BadRequestError, NotFoundError>> ResetApiSecretAsync(string name, TesseraDbContext db, ApiSecretProtector secrets, SnapshotCache snapshots, CancellationToken cancellationToken)
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
