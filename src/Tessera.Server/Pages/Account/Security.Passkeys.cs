using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>One of the user's passkeys as the security page lists it.</summary>
internal sealed record ListedPasskey(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Synced);

/// <summary>
/// The passkeys on /account/security: register one (named; the current password, or a fresh sign-in, first — a new
/// credential outlives the session), list them with created and last-used times, remove one (the same proof; never the
/// last way into an account without a password or a linked provider). Identity stores public keys only.
/// </summary>
internal sealed partial class SecurityModel
{
    /// <summary>Enough for every device a person owns; a bound on what one account can store.</summary>
    public const int MostPasskeys = 20;

    public IReadOnlyList<ListedPasskey> Passkeys { get; private set; } = [];

    public async Task<IActionResult> OnPostPasskeyOptionsAsync([FromServices] PasskeyCeremony passkeys)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        return await passkeys.CreationOptionsAsync(HttpContext, user);
    }

    public async Task<IActionResult> OnPostAddPasskeyAsync(
        [FromForm] string? credential, [FromForm] string? name, [FromForm] string? currentPassword,
        [FromServices] PasskeyCeremony passkeys, [FromServices] SignInThrottle signInThrottle, [FromServices] TimeProvider clock)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        var label = string.IsNullOrWhiteSpace(name) ? "Passkey" : name.Trim();
        if (label.Length > 64) return await ProblemAsync(user, text["A passkey's name has at most 64 characters."]);
        if ((await users.GetPasskeysAsync(user)).Count >= MostPasskeys)
            return await ProblemAsync(user, text["An account has at most {0} passkeys. Remove one first.", MostPasskeys]);
        if (await RefusedProofAsync(user, currentPassword, signInThrottle, clock) is { } refused) return refused;

        if (await passkeys.RegisterAsync(HttpContext, user, credential) is not { } passkey)
            return await ProblemAsync(user, text["The passkey was not added. Try again."]);
        passkey.Name = label;
        var added = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!added.Succeeded) return await ProblemAsync(user, string.Join(" ", added.Errors.Select(e => e.Description)));
        AccountSecurityLog.PasskeyAdded(logger, user.Id);
        Notice = text["The passkey \"{0}\" is added.", label];
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRemovePasskeyAsync(
        [FromForm] string? passkey, [FromForm] string? currentPassword,
        [FromServices] SignInThrottle signInThrottle, [FromServices] TimeProvider clock)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        var all = await users.GetPasskeysAsync(user);
        var chosen = all.FirstOrDefault(p => Base64UrlEncoder.Encode(p.CredentialId) == passkey);
        if (chosen is null) return await ProblemAsync(user, text["That passkey is not one of yours."]);
        if (all.Count == 1 && !await users.HasPasswordAsync(user) && (await users.GetLoginsAsync(user)).Count == 0)
            return await ProblemAsync(user, text["This passkey is your only way to sign in. Set a password first."]);
        if (await RefusedProofAsync(user, currentPassword, signInThrottle, clock) is { } refused) return refused;

        var removed = await users.RemovePasskeyAsync(user, chosen.CredentialId);
        if (!removed.Succeeded) return await ProblemAsync(user, string.Join(" ", removed.Errors.Select(e => e.Description)));
        AccountSecurityLog.PasskeyRemoved(logger, user.Id);
        Notice = text["The passkey \"{0}\" is removed.", chosen.Name ?? ""];
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadPasskeysAsync(TesseraUser user, PasskeyLastUses lastUses)
    {
        var used = await lastUses.OfAsync(user.Id, HttpContext.RequestAborted);
        Passkeys = (await users.GetPasskeysAsync(user))
            .Select(p => (Passkey: p, Id: Base64UrlEncoder.Encode(p.CredentialId)))
            .Select(p => new ListedPasskey(p.Id, p.Passkey.Name ?? "Passkey", p.Passkey.CreatedAt,
                used.TryGetValue(p.Id, out var at) ? DateTimeOffset.FromUnixTimeSeconds(at) : null, p.Passkey.IsBackupEligible))
            .OrderBy(p => p.CreatedAt)
            .ToList();
    }
}
