using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Whether this browser is one the user asked to remember ("remember this browser", Tessera:Mfa:RememberBrowser) and
/// nothing has changed since. Identity reads the cookie's user but checks its security stamp only every 30 minutes;
/// the stamp is compared here at once, so a new password or a reset second factor forgets every remembered browser now.
/// </summary>
internal static class RememberedBrowser
{
    public static async Task<bool> IsAsync(HttpContext context, UserManager<TesseraUser> users, TesseraUser user, MfaOptions mfa)
    {
        if (mfa.RememberBrowser <= TimeSpan.Zero || !await SecondFactors.HasAnyAsync(users, user)) return false;
        var remembered = await context.AuthenticateAsync(IdentityConstants.TwoFactorRememberMeScheme);
        if (remembered.Principal is not { } principal || principal.FindFirstValue(ClaimTypes.Name) != user.Id) return false;
        var stamp = principal.FindFirstValue(users.Options.ClaimsIdentity.SecurityStampClaimType);
        return stamp is not null && stamp == await users.GetSecurityStampAsync(user);
    }
}
