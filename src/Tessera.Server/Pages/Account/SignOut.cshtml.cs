using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>Ends the session cookie. A POST with an anti-forgery token, so no other site can sign the user out.</summary>
public sealed class SignOutModel(SignInManager<TesseraUser> signIn) : PageModel
{
    public bool SignedOut { get; private set; }

    public void OnGet() => SignedOut = User.Identity?.IsAuthenticated != true;

    public async Task OnPostAsync()
    {
        await signIn.SignOutAsync();
        SignedOut = true;
    }
}
