using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.PersonalAccessTokens;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The signed-in user's personal access tokens: create one (the token is shown on this response only), list them with
/// scopes, dates and last use, revoke one. Posts carry the anti-forgery token like every other form. The page asks for
/// the password again when the session is older than <c>Tessera:PersonalAccessTokens:PageMaxAuthAge</c> (10 minutes): a token outlives the session.
/// </summary>
internal sealed class TokensModel(
    UserManager<TesseraUser> users, PersonalAccessTokenStore store, SnapshotCache snapshots, IOptions<TesseraOptions> options, TimeProvider clock,
    UserPermissions permissions, IStringLocalizer<PageText> text) : PageModel
{
    public IReadOnlyList<PersonalAccessToken> Tokens { get; private set; } = [];
    public IReadOnlyList<string> GrantableScopes { get; private set; } = [];
    public int MaxDays => (int)options.Value.PersonalAccessTokens.MaxLifetime.TotalDays;
    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The token just created: shown once, never stored.</summary>
    public string? NewToken { get; private set; }
    public string? Notice { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (!SignedInRecently()) return SignInAgain(user);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, string[]? scopes, int? days)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        // A session cookie copied an hour ago must not mint a credential that lives a year.
        if (!SignedInRecently()) return SignInAgain(user);
        var settings = options.Value.PersonalAccessTokens;
        var expiresAt = days is { } d and > 0 ? Now + (long)d * 86_400 : (long?)null;
        var held = await permissions.OfAsync(user.Id, HttpContext.RequestAborted);
        var request = PersonalAccessTokenRules.Check(name, scopes, expiresAt, snapshots.Current.Catalog, held, settings, Now);
        if (request.Failed) Problem = request.Error.Description;
        else if (await store.CountAsync(user.Id, HttpContext.RequestAborted) >= settings.MaxPerUser)
            Problem = text["You may hold at most {0} tokens; revoke one first.", settings.MaxPerUser];
        else
        {
            var (_, token) = await store.CreateAsync(user.Id, request.Value.Name, request.Value.Scope, request.Value.ExpiresAt,
                clientId: null, jkt: null, HttpContext.RequestAborted);
            NewToken = token;
        }
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string? id)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (!string.IsNullOrEmpty(id) && await store.RevokeAsync(user.Id, id, HttpContext.RequestAborted))
            Notice = text["The token is revoked."];
        await LoadAsync(user);
        return Page();
    }

    private RedirectToPageResult SignIn() => RedirectToPage("/Account/SignIn", new { returnUrl = Url.Page("/Account/Tokens") });

    private bool SignedInRecently() => RecentSignIn.IsRecent(SessionClaims.AuthTimeOf(User), options.Value.PersonalAccessTokens.PageMaxAuthAge, Now);

    /// <summary>The sign-in page starts a new session with a fresh auth_time and comes back here.</summary>
    private RedirectToPageResult SignInAgain(TesseraUser user) =>
        RedirectToPage("/Account/SignIn", new { returnUrl = Url.Page("/Account/Tokens"), login_hint = user.UserName });

    private async Task LoadAsync(TesseraUser user)
    {
        Tokens = await store.ListAsync(user.Id, HttpContext.RequestAborted);
        GrantableScopes = ScopePolicy.GrantableToPersonalAccessTokens(snapshots.Current.Catalog, await permissions.OfAsync(user.Id, HttpContext.RequestAborted));
    }
}
