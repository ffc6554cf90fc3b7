using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Tessera.Server.Pages.Account;

/// <summary>Where a sign-in without a return URL lands: who is signed in.</summary>
public sealed class SignedInModel : PageModel
{
    public string? Username { get; private set; }

    public void OnGet() => Username = User.Identity?.IsAuthenticated == true ? User.Identity.Name : null;
}
