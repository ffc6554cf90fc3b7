using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>
/// The link that verifies the account's current address. Identity's own confirmation token names no address, so a link
/// mailed to an old address would verify whatever address the account has when it is opened (after an administrator
/// set another one, say). The purpose here carries the normalized address: the link verifies that address only.
/// </summary>
internal static class EmailVerificationTokens
{
    private static string Purpose(string? normalizedEmail) => "VerifyEmail:" + normalizedEmail;

    public static Task<string> GenerateAsync(UserManager<TesseraUser> users, TesseraUser user) =>
        users.GenerateUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, Purpose(user.NormalizedEmail));

    /// <summary>Marks the address verified when the code is for it; false (and nothing changed) otherwise.</summary>
    public static async Task<bool> VerifyAsync(UserManager<TesseraUser> users, TesseraUser user, string code)
    {
        if (user.Email is null
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, Purpose(user.NormalizedEmail), code))
            return false;
        if (user.EmailConfirmed) return true;
        user.EmailConfirmed = true;
        return (await users.UpdateAsync(user)).Succeeded;
    }
}
