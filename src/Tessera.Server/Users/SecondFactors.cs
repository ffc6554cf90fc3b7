using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>
/// A user's second factors: an authenticator app (Identity's two-factor flag) and passkeys. Either makes a password
/// alone insufficient; the user turns the authenticator off (with a code), an administrator resets both (lost devices).
/// </summary>
internal static class SecondFactors
{
    /// <summary>Whether the user has a second factor to give: an authenticator app, or a passkey.</summary>
    public static async Task<bool> HasAnyAsync(UserManager<TesseraUser> users, TesseraUser user) =>
        await users.GetTwoFactorEnabledAsync(user) || (await users.GetPasskeysAsync(user)).Count > 0;

    /// <summary>An administrator's reset: the authenticator off and every passkey removed.</summary>
    public static async Task<IdentityResult> ResetAsync(UserManager<TesseraUser> users, TesseraUser user)
    {
        var result = await TurnOffAsync(users, user);
        foreach (var passkey in await users.GetPasskeysAsync(user))
        {
            if (!result.Succeeded) break;
            result = await users.RemovePasskeyAsync(user, passkey.CredentialId);
        }
        return result;
    }

    /// <summary>Off, and the old key and printed codes stop working: a new key no one has seen, and no recovery codes.</summary>
    public static async Task<IdentityResult> TurnOffAsync(UserManager<TesseraUser> users, TesseraUser user)
    {
        var result = await users.SetTwoFactorEnabledAsync(user, false);
        if (result.Succeeded) result = await users.ResetAuthenticatorKeyAsync(user);
        if (result.Succeeded) await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        return result;
    }
}
