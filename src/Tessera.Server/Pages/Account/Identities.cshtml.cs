using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.ExternalIdentities;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The external identities linked to the signed-in user: list, link another, remove one (POST with anti-forgery).
/// Removing the last way to sign in (no password and no other link) is refused: the account would be lost.
/// </summary>
internal sealed class IdentitiesModel(
    UserManager<TesseraUser> users, ProviderTokens tokens, ExternalProviderList providers, TesseraDbContext db, IStringLocalizer<PageText> text) : PageModel
{
    public IReadOnlyList<UserLoginInfo> Linked { get; private set; } = [];
    public IReadOnlyList<ExternalProviderButton> Linkable { get; private set; } = [];
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? linked)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignInFirst();
        if (linked is not null && providers.Find(linked) is { } provider) Notice = $"{provider.DisplayName} is linked to your account.";
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync([FromForm] string? provider)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignInFirst();
        var logins = await users.GetLoginsAsync(user);
        var login = logins.FirstOrDefault(l => l.LoginProvider == provider);
        if (login is null) Notice = text["That identity is not linked to your account."];
        else if (logins.Count == 1 && !await users.HasPasswordAsync(user))
        {
            Notice = $"{login.ProviderDisplayName} is your only way to sign in: it cannot be removed.";
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        else
        {
            // The link and the provider's tokens go together, or an application could still fetch a token of an unlinked identity.
            await using var transaction = await db.Database.BeginTransactionAsync(HttpContext.RequestAborted);
            var result = await users.RemoveLoginAsync(user, login.LoginProvider, login.ProviderKey);
            if (!result.Succeeded) throw new InvalidOperationException("The identity could not be removed.");
            await tokens.RemoveAsync(user, login.LoginProvider);
            await transaction.CommitAsync(HttpContext.RequestAborted);
            Notice = $"{login.ProviderDisplayName} is no longer linked to your account.";
        }
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(TesseraUser user)
    {
        Linked = (await users.GetLoginsAsync(user)).OrderBy(l => l.LoginProvider, StringComparer.Ordinal).ToList();
        Linkable = providers.Buttons.Where(b => Linked.All(l => l.LoginProvider != b.Name)).ToList();
        PageSecurityHeaders.Apply(Response, Linkable.Select(b => b.FormOrigin));
    }

    private RedirectToPageResult SignInFirst() =>
        RedirectToPage("/Account/SignIn", new { returnUrl = Url.Page("/Account/Identities") });
}
