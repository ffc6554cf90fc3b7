using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tessera.Server.Catalog;
using Tessera.Server.Tokens;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>One application the user has granted, as the account page lists it.</summary>
internal sealed record GrantedApplication(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

/// <summary>
/// Who is signed in, and the applications they have granted (from their consents). Withdrawing a grant (a POST with
/// anti-forgery) forgets the consent and revokes the application's refresh tokens for this user, with their families.
/// </summary>
internal sealed class SignedInModel(
    UserManager<TesseraUser> users, ConsentStore consents, TokenRevoker revoker, SnapshotCache snapshots) : PageModel
{
    public string? Username { get; private set; }
    public IReadOnlyList<GrantedApplication> Grants { get; private set; } = [];
    public string? Notice { get; private set; }

    public async Task OnGetAsync()
    {
        if (await users.GetUserAsync(User) is { } user) await LoadAsync(user);
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "client_id")] string? clientId)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return RedirectToPage("/Account/SignIn", new { returnUrl = Url.Page("/Account/SignedIn") });
        if (!string.IsNullOrEmpty(clientId))
        {
            await consents.WithdrawAsync(user.Id, clientId, HttpContext.RequestAborted);
            // Withdrawing is revoking (RFC 7009 §2.1 in spirit): the refresh tokens, and the access tokens issued with them.
            await revoker.RevokeGrantAsync(user.Id, clientId, HttpContext.RequestAborted);
            Notice = $"Access for {Name(clientId)} is withdrawn.";
        }
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(TesseraUser user)
    {
        Username = user.UserName;
        Grants = (await consents.ListAsync(user.Id, HttpContext.RequestAborted))
            .Select(c => new GrantedApplication(c.ClientId, Name(c.ClientId), SpaceDelimited.Split(c.Scopes), DateTimeOffset.FromUnixTimeSeconds(c.GrantedAt)))
            .ToList();
    }

    private string Name(string clientId) =>
        snapshots.Current.Catalog.FindClient(clientId) is { } client ? client.DisplayName ?? client.ClientId : clientId;
}
