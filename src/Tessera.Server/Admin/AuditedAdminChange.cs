using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Audit;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Admin;

/// <summary>How an admin route's change and its audit event are written together.</summary>
internal enum AuditJoin
{
    /// <summary>
    /// The handler saves the request's context inside its own transaction (the import applier, the catalog's delete,
    /// the API secret): the event is added to that context first, so it commits or rolls back with the change.
    /// </summary>
    HandlerTransaction,

    /// <summary>
    /// Identity's user and role managers save in several steps with no one transaction to join (and revocation writes on
    /// other connections): the event is written right after the handler succeeded, never before, so a change that fails
    /// half-way is a failure event, not a success.
    /// </summary>
    AfterSuccess,

    /// <summary>The handler writes its own event in its transaction (a key rotation, with the new kid); failures are recorded here.</summary>
    HandlerWritesIt,
}

/// <summary>
/// Every change through the admin API leaves one audit event (issue 18): a success written as <see cref="AuditJoin"/>
/// says, or a failure — a refusal (4xx, with its status) or an exception (500) — through the queue. The affected
/// client, API, role or user comes from the path, from the created resource in the handler's answer, or for the import
/// applier's creations from the body's id (the applier reads the body with the same strict, case-sensitive rules) —
/// never anything else from a body.
/// </summary>
internal static class AuditedAdminChange
{
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder route, string type, AuditJoin join) =>
        route.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (join == AuditJoin.HandlerTransaction) context.Request.EnableBuffering();
            var users = context.RequestServices.GetRequiredService<UserManager<TesseraUser>>();
            var target = await TargetAsync(context, users, readBody: join == AuditJoin.HandlerTransaction);
            return await RunAsync(context, type, join, target, () => next(invocation).AsTask());
        });

    /// <summary>
    /// Runs one admin change and writes its audit event as <paramref name="join"/> says: the admin API's routes through
    /// the filter above, the console's forms directly (they name their target; a form has no JSON body to read it from).
    /// </summary>
    public static async Task<object?> RunAsync(HttpContext context, string type, AuditJoin join, AuditTarget target, Func<Task<object?>> change)
    {
        var services = context.RequestServices;
        var audit = services.GetRequiredService<AuditTrail>();
        var db = services.GetRequiredService<TesseraDbContext>();
        var entry = new AuditEntry(type) { UserId = target.UserId, ClientId = target.ClientId, Details = target.Details };
        if (join == AuditJoin.HandlerTransaction) audit.Add(db, entry, context);

        object? result;
        try
        {
            result = await change();
        }
        catch (Exception)
        {
            ForgetUnsavedEvents(db);
            audit.Post(Failed(entry, StatusCodes.Status500InternalServerError), context);
            throw;
        }

        var status = StatusOf(result);
        if (status is < 200 or >= 300)
        {
            ForgetUnsavedEvents(db);
            audit.Post(Failed(entry, status), context);
            return result;
        }
        try
        {
            if (join == AuditJoin.AfterSuccess) audit.Add(db, entry with { UserId = entry.UserId ?? CreatedUserId(result), Details = WithCreatedName(entry.Details, result) }, context);
            // A handler that saved the change without this context (it should not happen) still gets its event, right after.
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            // The change is made; an event that cannot be saved now goes through the queue rather than failing the answer.
            ForgetUnsavedEvents(db);
            audit.Post(entry, context);
        }
        return result;
    }

    private static AuditEntry Failed(AuditEntry entry, int status) => entry with
    {
        Outcome = AuditEventTypes.Failure,
        Details = new Dictionary<string, string?>(entry.Details ?? new Dictionary<string, string?>()) { ["status"] = status.ToString(CultureInfo.InvariantCulture) },
    };

    /// <summary>Takes unsaved audit events out of the request's context, so no later save in the request writes them.</summary>
    private static void ForgetUnsavedEvents(TesseraDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries<Storage.Audit.AuditEvent>().Where(e => e.State == EntityState.Added).ToList())
            entry.State = EntityState.Detached;
    }

    private static async Task<AuditTarget> TargetAsync(HttpContext context, UserManager<TesseraUser> users, bool readBody)
    {
        var route = context.Request.RouteValues;
        if (route.TryGetValue("clientId", out var clientId) && clientId is string client) return AuditTarget.Client(client);
        if (route.TryGetValue("username", out var username) && username is string name)
        {
            return await AuditTarget.UserAsync(users, name);
        }
        if (route.TryGetValue("name", out var resource) && resource is string named)
            return AuditTarget.Named(named);
        if (context.Request.Path.Value?.EndsWith("/rotate", StringComparison.Ordinal) == true)
            return AuditTarget.Key(context.Request.Query["algorithm"].FirstOrDefault() ?? "RS256");
        if (!readBody) return AuditTarget.None;

        // The import applier's creations: the id from the body, which the applier reads with the same strict,
        // case-sensitive rules (a second "clientId" spelled otherwise is refused there). Only the id is kept.
        var body = await BodyAsync(context);
        if (body?.TryGetProperty("clientId", out var id) == true && id.ValueKind == JsonValueKind.String) return AuditTarget.Client(id.GetString()!);
        if (body?.TryGetProperty("name", out var item) == true && item.ValueKind == JsonValueKind.String)
            return AuditTarget.Named(item.GetString()!);
        return AuditTarget.None;
    }

    /// <summary>A user created by POST /admin/users: the id Identity gave it, from the handler's answer.</summary>
    private static string? CreatedUserId(object? result) => Unwrap(result) is JsonCreated<AdminUsers.CreatedUser> created ? created.Value.Id : null;

    /// <summary>A role created by POST /admin/roles: its name as the handler stored it.</summary>
    private static IReadOnlyDictionary<string, string?>? WithCreatedName(IReadOnlyDictionary<string, string?>? details, object? result) =>
        Unwrap(result) switch
        {
            JsonCreated<AdminUsers.CreatedUser> user => new Dictionary<string, string?> { ["username"] = user.Value.Username },
            JsonCreated<Import.ImportedRole> role => new Dictionary<string, string?> { ["name"] = role.Value.Name },
            _ => details,
        };

    private static async Task<JsonElement?> BodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || !request.Body.CanSeek) return null;
        request.Body.Position = 0;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static object? Unwrap(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return result;
    }

    private static int StatusOf(object? result) =>
        Unwrap(result) is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
}
