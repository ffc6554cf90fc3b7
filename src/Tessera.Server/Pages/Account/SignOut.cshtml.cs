using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Ends the session cookie. A POST with an anti-forgery token, so no other site can sign the user out. When the logout
/// endpoint asked the user first (RP-Initiated Logout §2), returnUrl is that same logout request: once signed out, the
/// browser goes back to it and from there to the application's registered post-logout URI (§3) — never anywhere else.
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
        return IsLogoutRequest(ReturnUrl) ? LocalRedirect(ReturnUrl!) : Page();
    }

    /// <summary>Only the logout endpoint of this server: any other local page would make this a redirector for links.</summary>
    private bool IsLogoutRequest(string? returnUrl) =>
        Url.IsLocalUrl(returnUrl) && returnUrl!.StartsWith(urls.PathBase + EndpointPaths.EndSession + "?", StringComparison.Ordinal);
}
