using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Between the password and the second factor: Identity's two-factor cookie (five minutes, this browser only) names
/// the user whose password was right, as SignInManager.GetTwoFactorAuthenticationUserAsync reads it. It opens nothing
/// but the code page.
/// </summary>
internal static class SecondFactorPending
{
    public static ClaimsPrincipal For(TesseraUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Id)], IdentityConstants.TwoFactorUserIdScheme));
}
