using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Ends the session cookie. A POST with an anti-forgery token, so no other site can sign the user out. returnUrl says
/// where the person goes next, and only two kinds are followed: the logout request that asked the user first
/// (RP-Initiated Logout §2), which then sends the browser to the application's registered post-logout URI (§3); and,
/// from the consent page's "not you?", the authorization request, signed in again on the sign-in page.
/// </summary>
public sealed class SignOutModel(SignInManager<TesseraUser> signIn, IssuerUrls urls) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public bool SignedOut { get; private set; }

    public void OnGet() => SignedOut = User.Identity?.IsAuthenticated != true;

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        SignedOut = true;
        if (IsLogoutRequest(ReturnUrl)) return LocalRedirect(ReturnUrl!);
        // The sign-in page checks the authorization request again: never an open redirect.
        if (AuthorizationReturnUrl.IsAuthorizationRequest(ReturnUrl, Url, urls))
            return LocalRedirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.SignIn, "returnUrl", ReturnUrl!));
        return Page();
    }

    /// <summary>Only the logout endpoint of this server: any other local page would make this a redirector for links.</summary>
    private bool IsLogoutRequest(string? returnUrl) =>
        Url.IsLocalUrl(returnUrl) && returnUrl!.StartsWith(urls.PathBase + EndpointPaths.EndSession + "?", StringComparison.Ordinal);
}
