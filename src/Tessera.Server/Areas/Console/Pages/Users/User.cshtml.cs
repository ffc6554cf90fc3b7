using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Roles;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Sessions;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Users;

namespace Tessera.Server.Areas.Console.Pages.Users;

/// <summary>
/// One user: account, sessions, personal access tokens and roles; disable and enable, reset the second factor, revoke
/// everything, delete — each through the admin API's own handler (privilege ceiling, audit event), and each one that
/// ends something first says what and asks again.
/// </summary>
[ConsoleArea("users")]
internal sealed class UserModel(
    UserManager<TesseraUser> users, RoleManager<TesseraRole> roles, TesseraDbContext db, UserRevocation revocation, DisabledUsers disabled,
    UserPermissions permissions, AdminPrivilegeCeiling ceiling, PersonalAccessTokenStore tokens, PersonalAccessTokenCoverage coverage,
    TimeProvider clock, ILogger<AdminUsers.UserView> logger) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string Username { get; set; } = "";

    public TesseraUser? Account { get; private set; }
    public IReadOnlyList<string> HeldRoles { get; private set; } = [];
    public IReadOnlyList<string> AllRoles { get; private set; } = [];
    public IReadOnlyList<UserSession> Sessions { get; private set; } = [];
    public IReadOnlyList<PersonalAccessToken> Tokens { get; private set; } = [];

    /// <summary>An authenticator app or a passkey: what a reset of the second factor takes away.</summary>
    public bool HasSecondFactor { get; private set; }
    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();


    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public Task<IActionResult> OnPostDisableAsync(bool confirmed) => ConfirmedAsync("disable", confirmed, AuditEventTypes.UserDisabled,
        async () => (await AdminUsers.DisableAsync(Username, HttpContext, users, revocation, disabled, clock, permissions, ceiling)).Result,
        Text["The user is disabled: every session and token of theirs has ended."]);

    public Task<IActionResult> OnPostEnableAsync() => ConfirmedAsync("enable", confirmed: true, AuditEventTypes.UserEnabled,
        async () => (await AdminUsers.EnableAsync(Username, HttpContext, users, disabled, permissions, ceiling)).Result,
        Text["The user is enabled again."]);

    public Task<IActionResult> OnPostResetMfaAsync(bool confirmed) => ConfirmedAsync("reset-mfa", confirmed, AuditEventTypes.UserMfaReset,
        async () => (await AdminUsers.ResetMfaAsync(Username, HttpContext, users, revocation, permissions, ceiling, logger)).Result,
        Text["The second factor is reset: the user signs in with the password and sets up a new one."]);

    public Task<IActionResult> OnPostRevokeAsync(bool confirmed) => ConfirmedAsync("revoke", confirmed, AuditEventTypes.UserTokensRevoked,
        async () => (await AdminUsers.RevokeAsync(Username, HttpContext, users, revocation, permissions, ceiling)).Result,
        Text["Every session and token of the user has ended."]);

    public async Task<IActionResult> OnPostDeleteAsync(bool confirmed)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm("delete");
        var answer = await ChangeAsync(AuditEventTypes.UserDeleted, AuditJoin.AfterSuccess, await AuditTarget.UserAsync(users, Username),
            async () => (await AdminUsers.DeleteAsync(Username, HttpContext, users, revocation, permissions, ceiling)).Result);
        return answer is Microsoft.AspNetCore.Http.HttpResults.NoContent ? RedirectToPage("/Users/Index") : Page();
    }

    /// <summary>Sets the user's roles: changing them is the roles permission's, as in the admin API.</summary>
    public async Task<IActionResult> OnPostRolesAsync(string[]? roleNames)
    {
        if (!Caller.CanChange("roles")) return StatusCode(StatusCodes.Status403Forbidden);
        if (!await LoadAsync()) return NotFound();
        await ChangeAsync(AuditEventTypes.UserRolesChanged, AuditJoin.AfterSuccess, await AuditTarget.UserAsync(users, Username),
            async () => (await AdminRoles.AssignRolesAsync(Username, new AdminRoles.RoleAssignment(roleNames ?? []), HttpContext, users, roles, coverage, ceiling)).Result);
        if (Problems.Count == 0) Notice = Text["The roles are saved."];
        await LoadAsync();
        return Page();
    }

    /// <summary>Revokes one personal access token of the user (the store writes its audit event in the same transaction).</summary>
    public async Task<IActionResult> OnPostRevokeTokenAsync(string? id)
    {
        if (!await LoadAsync()) return NotFound();
        if (await ceiling.RefusalAsync(HttpContext, await permissions.OfAsync(Account!.Id, HttpContext.RequestAborted)) is { } refused)
        {
            Problems = [refused.Error.Description];
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        if (!string.IsNullOrEmpty(id) && await tokens.RevokeAsync(Account.Id, id, HttpContext.RequestAborted)) Notice = Text["The token is revoked."];
        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> ConfirmedAsync(string action, bool confirmed, string auditType, Func<Task<IResult>> change, string done)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm(action);
        await ChangeAsync(auditType, AuditJoin.AfterSuccess, await AuditTarget.UserAsync(users, Username), change);
        if (Problems.Count == 0) Notice = done;
        await LoadAsync();
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Account = await users.FindByNameAsync(Username);
        if (Account is null) return false;
        HeldRoles = [.. (await users.GetRolesAsync(Account)).Order(StringComparer.OrdinalIgnoreCase)];
        HasSecondFactor = await SecondFactors.HasAnyAsync(users, Account);
        AllRoles = await roles.Roles.AsNoTracking().OrderBy(r => r.NormalizedName).Select(r => r.Name!).ToListAsync(cancellationToken);
        var now = Now;
        Sessions = await db.UserSessions.AsNoTracking().Where(s => s.UserId == Account.Id && s.EndedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt).Take(50).ToListAsync(cancellationToken);
        Tokens = (await tokens.ListAsync(Account.Id, cancellationToken)).Where(t => t.RevokedAt is null).ToList();
        return true;
    }
}
