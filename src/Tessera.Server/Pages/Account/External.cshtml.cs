using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Starts a sign-in (or, from the account page, a link) at an external provider: a POST with anti-forgery, so no other
/// site can send a user off to a provider. The return URL travels in the handler's protected state.
/// </summary>
internal sealed class ExternalModel(IOptions<TesseraOptions> options, UserManager<TesseraUser> users) : PageModel
{
    public const string ProviderItem = "LoginProvider";
    public const string ReturnUrlItem = "tessera.return_url";
    public const string LinkUserItem = "tessera.link_user";

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync([FromForm] string? provider, [FromForm] string? returnUrl, [FromForm] bool link)
    {
        if (provider is null || !options.Value.ExternalProviders.ContainsKey(provider)) return NotFound();
        var properties = new AuthenticationProperties { RedirectUri = Url.Page("/Account/ExternalDone") };
        properties.Items[ProviderItem] = provider;
        // Only a local URL: the callback must not become an open redirector.
        if (Url.IsLocalUrl(returnUrl)) properties.Items[ReturnUrlItem] = returnUrl;
        if (link)
        {
            var user = await users.GetUserAsync(User);
            if (user is null) return RedirectToPage("/Account/SignIn");
            properties.Items[LinkUserItem] = user.Id;
        }
        return Challenge(properties, provider);
    }
}
