using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Audit;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Admin;

/// <summary>
/// Every change through the admin API leaves one audit event (issue 18). The event is added to the request's own
/// database context before the change runs, so a change saved through that context (the import applier's, Identity's
/// user and role stores') commits its event in the same SaveChanges; a change that saved otherwise gets its event
/// saved right after. A refused change (4xx) leaves a <c>failure</c> event with the status instead. The affected
/// client, API, role or user is taken from the path, or for a creation from the body's id — never a secret from it.
/// </summary>
internal static class AuditedAdminChange
{
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder route, string type) =>
        route.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var services = context.RequestServices;
            var audit = services.GetRequiredService<AuditTrail>();
            var db = services.GetRequiredService<TesseraDbContext>();
            var userManager = services.GetRequiredService<UserManager<TesseraUser>>();
            context.Request.EnableBuffering();

            var target = await TargetAsync(context, userManager);
            var entry = new AuditEntry(type) { UserId = target.UserId, ClientId = target.ClientId, Details = target.Details };
            // A new user's id exists only once Identity made it: that one event follows the change instead of joining it.
            var joined = type != AuditEventTypes.UserCreated;
            var row = joined ? audit.Add(db, entry, context) : null;

            var result = await next(invocation);

            var status = StatusOf(result);
            if (status is >= 200 and < 300)
            {
                if (row is null)
                {
                    audit.Add(db, entry with { UserId = await CreatedUserAsync(context, userManager) }, context);
                    await db.SaveChangesAsync(CancellationToken.None);
                }
                else if (db.Entry(row).State == EntityState.Added)
                {
                    // The change saved without this context (a bulk delete, a key rotation): the event follows it now.
                    await db.SaveChangesAsync(CancellationToken.None);
                }
            }
            else
            {
                if (row is not null) db.Entry(row).State = EntityState.Detached;
                var details = new Dictionary<string, string?>(target.Details ?? new Dictionary<string, string?>()) { ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                audit.Post(entry with { Outcome = AuditEventTypes.Failure, Details = details }, context);
            }
            return result;
        });

    private sealed record Target(string? UserId, string? ClientId, IReadOnlyDictionary<string, string?>? Details);

    private static async Task<Target> TargetAsync(HttpContext context, UserManager<TesseraUser> users)
    {
        var route = context.Request.RouteValues;
        if (route.TryGetValue("clientId", out var clientId) && clientId is string client) return new Target(null, client, null);
        if (route.TryGetValue("username", out var username) && username is string name)
        {
            var user = await users.FindByNameAsync(name);
            return new Target(user?.Id, null, new Dictionary<string, string?> { ["username"] = name });
        }
        if (route.TryGetValue("name", out var resource) && resource is string named)
            return new Target(null, null, new Dictionary<string, string?> { ["name"] = named });
        if (context.Request.Path.Value?.EndsWith("/rotate", StringComparison.Ordinal) == true)
            return new Target(null, null, new Dictionary<string, string?> { ["alg"] = context.Request.Query["algorithm"].FirstOrDefault() ?? "RS256" });

        // A creation: the new thing's id is in the body (read again after the handler read it; only the id is kept).
        var body = await BodyAsync(context);
        if (body?.TryGetProperty("clientId", out var id) == true && id.ValueKind == JsonValueKind.String) return new Target(null, id.GetString(), null);
        if (body?.TryGetProperty("username", out var newUser) == true && newUser.ValueKind == JsonValueKind.String)
            return new Target(null, null, new Dictionary<string, string?> { ["username"] = newUser.GetString() });
        if (body?.TryGetProperty("name", out var item) == true && item.ValueKind == JsonValueKind.String)
            return new Target(null, null, new Dictionary<string, string?> { ["name"] = item.GetString() });
        return new Target(null, null, null);
    }

    private static async Task<string?> CreatedUserAsync(HttpContext context, UserManager<TesseraUser> users)
    {
        var body = await BodyAsync(context);
        return body?.TryGetProperty("username", out var name) == true && name.ValueKind == JsonValueKind.String
            && await users.FindByNameAsync(name.GetString()!) is { } user ? user.Id : null;
    }

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

    private static int StatusOf(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
    }
}
