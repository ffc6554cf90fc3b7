using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>Turning a user's two-factor sign-in off, by the user (with a code) or by an administrator (a lost device).</summary>
internal static class SecondFactors
{
    /// <summary>Off, and the old key and printed codes stop working: a new key no one has seen, and no recovery codes.</summary>
    public static async Task<IdentityResult> TurnOffAsync(UserManager<TesseraUser> users, TesseraUser user)
    {
        var result = await users.SetTwoFactorEnabledAsync(user, false);
        if (result.Succeeded) result = await users.ResetAuthenticatorKeyAsync(user);
        if (result.Succeeded) await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        return result;
    }
}
