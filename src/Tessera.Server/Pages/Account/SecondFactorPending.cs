using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Between the first factor and the second: Identity's two-factor cookie (five minutes, this browser only) names the
/// user whose password (or external sign-in) was right, as SignInManager.GetTwoFactorAuthenticationUserAsync reads it,
/// and how that first factor was given (amr, and the provider). It opens nothing but the code and setup pages.
/// </summary>
internal static class SecondFactorPending
{
    public static ClaimsPrincipal For(TesseraUser user, string firstFactor = "pwd", string? identityProvider = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Id), new(SessionClaims.AuthenticationMethods, firstFactor) };
        if (identityProvider is not null) claims.Add(new Claim(SessionClaims.IdentityProvider, identityProvider));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, IdentityConstants.TwoFactorUserIdScheme));
    }

    /// <summary>The pending first factor's amr values and provider; null when this browser has no pending sign-in.</summary>
    public static async Task<(IReadOnlyList<string> FirstFactor, string? IdentityProvider)?> ReadAsync(HttpContext context)
    {
        var pending = await context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (pending.Principal is not { } principal) return null;
        var methods = principal.FindAll(SessionClaims.AuthenticationMethods).Select(c => c.Value).ToList();
        return (methods.Count > 0 ? methods : ["pwd"], principal.FindFirst(SessionClaims.IdentityProvider)?.Value);
    }
}
