using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Ends the session cookie. A POST with an anti-forgery token, so no other site can sign the user out. From the consent
/// page's "not you?" it carries the authorization request, and the person signs in again for that same request.
/// </summary>
public sealed class SignOutModel(SignInManager<TesseraUser> signIn, IssuerUrls urls) : PageModel
{
    public bool SignedOut { get; private set; }

    public void OnGet() => SignedOut = User.Identity?.IsAuthenticated != true;

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        await signIn.SignOutAsync();
        SignedOut = true;
        // Only a local URL of the authorize endpoint goes on to the sign-in page (which checks it again): never an open redirect.
        if (!AuthorizationReturnUrl.IsAuthorizationRequest(returnUrl, Url, urls)) return Page();
        return LocalRedirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.SignIn, "returnUrl", returnUrl!));
    }
}
