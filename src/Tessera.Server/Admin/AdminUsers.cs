using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>Users through the admin API, the "admin command" way besides the import file: list, create, update, delete.</summary>
internal static class AdminUsers
{
    public sealed record NewUser(string? Username, string? Password, string? Email, bool? EmailVerified, string? Name);

    /// <summary>PATCH-like: only the fields given change.</summary>
    public sealed record UserChange(string? Password, string? Email, bool? EmailVerified, string? Name, JsonElement? Attributes = null, bool? RequireMfa = null);

    /// <summary>A user as the admin API shows it: never a password hash.</summary>
    public sealed record UserView(
        string Id, string? Username, string? Email, bool EmailVerified, string? Name, bool Disabled, JsonElement? Attributes, bool TwoFactorEnabled, bool RequireMfa)
    {
        public static UserView Of(TesseraUser user) =>
            new(user.Id, user.UserName, user.Email, user.EmailConfirmed, user.Name, user.DisabledAt is not null,
                user.Attributes is null ? null : JsonElement.Parse(user.Attributes), user.TwoFactorEnabled, user.RequireMfa);
    }

    public sealed record UserList(IReadOnlyList<UserView> Users);

    public sealed record CreatedUser(string Id, string? Username);

    private const int MaxListed = 1000;

    /// <summary>GET /admin/users?skip=N: up to 1000 users by username, never password hashes.</summary>
    public static async Task<JsonOk<UserList>> ListAsync(TesseraDbContext db, int? skip, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName)
            .Skip(Math.Max(skip ?? 0, 0)).Take(MaxListed).ToListAsync(cancellationToken);
        return new JsonOk<UserList>(new UserList([.. users.Select(UserView.Of)]));
    }

    public static async Task<Results<JsonOk<UserView>, BadRequestError, NotFoundError, ForbiddenError>> UpdateAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, UserRevocation revocation, UserPermissions permissions, AdminPrivilegeCeiling ceiling)
    {
        var request = context.Request;
        var user = await users.FindByNameAsync(username);
        if (user is null) return NotFound();
        if (await CeilingAsync(context, user, permissions, ceiling) is { } refused) return refused;
        UserChange? change;
        try
        {
            change = await request.ReadFromJsonAsync<UserChange>(Strict);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new BadRequestError(OAuthError.InvalidRequest("the body must be a JSON object with password, email, emailVerified, name, attributes, requireMfa"));
        }
        if (change is null) return new BadRequestError(OAuthError.InvalidRequest("the body must be a JSON object with password, email, emailVerified, name, attributes, requireMfa"));
        if (change.Attributes is { } attributes)
        {
            // The import's rules for attributes (an object of strings, numbers, booleans or string arrays; 32 names, 4 KiB).
            var problems = new List<string>();
            Import.RoleValidator.ValidateUser(new Import.ImportedUser { Attributes = attributes }, "$", [], problems);
            if (problems.Count > 0) return new BadRequestError(OAuthError.InvalidRequest(problems[0]));
        }
        if (change.Email is not null && !System.Net.Mail.MailAddress.TryCreate(change.Email, out _))
            return new BadRequestError(OAuthError.InvalidRequest("email is not an e-mail address"));

        // A new address is unchecked until someone says otherwise: keeping "verified" would vouch for it in ID tokens
        // (email_verified) and let external sign-in link by it.
        if (change.Email is not null && !string.Equals(change.Email, user.Email, StringComparison.OrdinalIgnoreCase)) user.EmailConfirmed = false;
        if (change.Email is not null) user.Email = change.Email;
        if (change.EmailVerified is { } verified) user.EmailConfirmed = verified;
        if (change.Name is not null) user.Name = change.Name;
        // From the next sign-in on: a user without a second factor sets one up before any session starts.
        if (change.RequireMfa is { } requireMfa) user.RequireMfa = requireMfa;
        // {} clears them; the new ones reach tokens issued from now on.
        if (change.Attributes is { } replaced) user.Attributes = replaced.EnumerateObject().Any() ? replaced.GetRawText() : null;
        var result = await users.UpdateAsync(user);
        if (result.Succeeded && change.Password is not null)
        {
            // Identity's validators judge the new password before the old one goes.
            foreach (var validator in users.PasswordValidators)
            {
                result = await validator.ValidateAsync(users, user, change.Password);
                if (!result.Succeeded) break;
            }
            if (result.Succeeded) result = await users.RemovePasswordAsync(user);
            if (result.Succeeded) result = await users.AddPasswordAsync(user, change.Password);
        }
        if (!result.Succeeded) return Refused(result);
        // A new password is an intervention: whoever knew the old one loses every session and token it got them.
        if (change.Password is not null) await revocation.RevokeEverythingAsync(users, user, CancellationToken.None);
        return new JsonOk<UserView>(UserView.Of(user));
    }

    /// <summary>POST /admin/users/{username}/disable: no sign-in of any kind, and everything the user holds is revoked.</summary>
    public static async Task<Results<JsonOk<UserView>, BadRequestError, NotFoundError, ForbiddenError>> DisableAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, UserRevocation revocation, DisabledUsers disabled, TimeProvider clock,
        UserPermissions permissions, AdminPrivilegeCeiling ceiling)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null) return NotFound();
        if (await CeilingAsync(context, user, permissions, ceiling) is { } refused) return refused;
        if (user.DisabledAt is null)
        {
            user.DisabledAt = clock.GetUtcNow().ToUnixTimeSeconds();
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded) return Refused(result);
        }
        // This node at once; the others at their next revocation poll.
        await disabled.AddAsync(user.Id, CancellationToken.None);
        await revocation.RevokeEverythingAsync(users, user, CancellationToken.None);
        return new JsonOk<UserView>(UserView.Of(user));
    }

    /// <summary>POST /admin/users/{username}/enable: the user may sign in again; nothing revoked comes back.</summary>
    public static async Task<Results<JsonOk<UserView>, BadRequestError, NotFoundError, ForbiddenError>> EnableAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, DisabledUsers disabled, UserPermissions permissions, AdminPrivilegeCeiling ceiling)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null) return NotFound();
        if (await CeilingAsync(context, user, permissions, ceiling) is { } refused) return refused;
        if (user.DisabledAt is not null)
        {
            user.DisabledAt = null;
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded) return Refused(result);
        }
        await disabled.RemoveAsync(user.Id, CancellationToken.None);
        return new JsonOk<UserView>(UserView.Of(user));
    }

    /// <summary>POST /admin/users/{username}/revoke: every session and token of the user ends; the user stays enabled.</summary>
    public static async Task<Results<NoContent, NotFoundError, ForbiddenError>> RevokeAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, UserRevocation revocation, UserPermissions permissions, AdminPrivilegeCeiling ceiling)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null) return NotFound();
        if (await CeilingAsync(context, user, permissions, ceiling) is { } refused) return refused;
        await revocation.RevokeEverythingAsync(users, user, CancellationToken.None);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// POST /admin/users/{username}/reset-mfa, for a user who lost their authenticator: two-factor sign-in is off, the old
    /// key and recovery codes open nothing, and every session and token of the user ends (whoever holds the lost device
    /// may hold a session too). The user signs in with the password and sets up a new authenticator.
    /// </summary>
    public static async Task<Results<JsonOk<UserView>, BadRequestError, NotFoundError, ForbiddenError>> ResetMfaAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, UserRevocation revocation, UserPermissions permissions,
        AdminPrivilegeCeiling ceiling, ILogger<UserView> logger)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null) return NotFound();
        if (await CeilingAsync(context, user, permissions, ceiling) is { } refused) return refused;
        var result = await SecondFactors.ResetAsync(users, user);
        if (!result.Succeeded) return Refused(result);
        await revocation.RevokeEverythingAsync(users, user, context.RequestAborted);
        // The admin API's caller is a token (sub); the console's is a session cookie (Identity's name identifier).
        AdminUsersLog.SecondFactorReset(logger, user.Id,
            context.User.FindFirstValue(Claims.Subject) ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown");
        return new JsonOk<UserView>(UserView.Of(user));
    }

    /// <summary>The user goes, and with them their sessions, personal access tokens and refresh tokens at every client.</summary>
    public static async Task<Results<NoContent, BadRequestError, NotFoundError, ForbiddenError>> DeleteAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, UserRevocation revocation, UserPermissions permissions, AdminPrivilegeCeiling ceiling)
    {
        var cancellationToken = context.RequestAborted;
        var user = await users.FindByNameAsync(username);
        if (user is null) return NotFound();
        if (await CeilingAsync(context, user, permissions, ceiling) is { } refused) return refused;
        await revocation.RevokeEverythingAsync(users, user, cancellationToken);
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded) return Refused(result);
        return TypedResults.NoContent();
    }

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// A user who holds admin permissions is changed only by an administrator who holds them too: a new password, a
    /// disable or a delete would otherwise let a lesser administrator take over or lock out a greater one.
    /// </summary>
    private static async Task<ForbiddenError?> CeilingAsync(HttpContext context, TesseraUser user, UserPermissions permissions, AdminPrivilegeCeiling ceiling) =>
        await ceiling.RefusalAsync(context, await permissions.OfAsync(user.Id, context.RequestAborted));

    private static NotFoundError NotFound() => new(OAuthError.NotFound("no user of that name"));

    /// <summary>Identity refused the change (a password rule, a concurrency stamp): its reasons, as invalid_request.</summary>
    private static BadRequestError Refused(IdentityResult result) =>
        new(OAuthError.InvalidRequest(string.Join(" ", result.Errors.Select(e => e.Description))));

    /// <summary>POST /admin/users with a JSON body; Identity's password validators and hasher apply.</summary>
    public static async Task<Results<JsonCreated<CreatedUser>, BadRequestError>> CreateAsync(HttpRequest request, UserManager<TesseraUser> users)
    {
        NewUser? body;
        try
        {
            body = await request.ReadFromJsonAsync<NewUser>(new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            });
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new BadRequestError(OAuthError.InvalidRequest("the body must be a JSON object with username, password, email, emailVerified, name"));
        }
        return await CreateUserAsync(body, users);
    }

    /// <summary>The creation itself, for the admin API's JSON body and the console's form alike.</summary>
    public static async Task<Results<JsonCreated<CreatedUser>, BadRequestError>> CreateUserAsync(NewUser? body, UserManager<TesseraUser> users)
    {
        if (string.IsNullOrWhiteSpace(body?.Username) || string.IsNullOrEmpty(body.Password))
            return new BadRequestError(OAuthError.InvalidRequest("username and password are required"));
        if (body.Email is not null && !System.Net.Mail.MailAddress.TryCreate(body.Email, out _))
            return new BadRequestError(OAuthError.InvalidRequest("email is not an e-mail address"));

        var user = new TesseraUser { UserName = body.Username.Trim(), Email = body.Email, EmailConfirmed = body.EmailVerified ?? false, Name = body.Name };
        var created = await users.CreateAsync(user, body.Password);
        if (!created.Succeeded) return Refused(created);

        return new JsonCreated<CreatedUser>(new CreatedUser(user.Id, user.UserName));
    }
}
