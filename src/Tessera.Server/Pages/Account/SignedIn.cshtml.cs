using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Catalog;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>One application the user has granted, as the account page lists it.</summary>
internal sealed record GrantedApplication(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

/// <summary>One active session of the user, as the account page lists it.</summary>
internal sealed record ListedSession(string Id, string Device, string? IpAddress, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool IsCurrent);

/// <summary>
/// Who is signed in, the applications they have granted (from their consents) and their active sessions. Withdrawing
/// a grant (a POST with anti-forgery) forgets the consent and revokes the application's refresh tokens for this user,
/// with their families. Ending a session (one, or all) ends it on every node; a user can end only their own.
/// </summary>
internal sealed class SignedInModel(
    UserManager<TesseraUser> users, SignInManager<TesseraUser> signIn, ConsentStore consents, TokenRevoker revoker,
    SessionStore sessions, SnapshotCache snapshots, IStringLocalizer<PageText> text) : PageModel
{
    public string? Username { get; private set; }
    public IReadOnlyList<GrantedApplication> Grants { get; private set; } = [];
    public IReadOnlyList<ListedSession> Sessions { get; private set; } = [];
    public string? Notice { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync()
    {
        if (await users.GetUserAsync(User) is { } user) await LoadAsync(user);
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "client_id")] string? clientId)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return SignInAgain();
        if (!string.IsNullOrEmpty(clientId))
        {
            await consents.WithdrawAsync(user.Id, clientId, HttpContext.RequestAborted);
            // Withdrawing is revoking (RFC 7009 §2.1 in spirit): the refresh tokens, and the access tokens issued with them.
            await revoker.RevokeGrantAsync(user.Id, clientId, HttpContext.RequestAborted);
            Notice = text["Access for {0} is withdrawn.", Name(clientId)];
        }
        await LoadAsync(user);
        return Page();
    }

    /// <summary>"Sign out this session": only a session of the signed-in user; any other id changes nothing.</summary>
    public async Task<IActionResult> OnPostEndSessionAsync([FromForm(Name = "session")] string? sessionId)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return SignInAgain();
        if (string.IsNullOrEmpty(sessionId)) return await ShowAsync(user, problem: text["Choose a session to sign out."]);
        if (sessionId == CurrentSessionId) return await SignOutHereAsync();
        var ended = await sessions.EndAsync(user.Id, sessionId, CancellationToken.None);
        return await ShowAsync(user, ended ? text["The session is signed out."].Value : null, ended ? null : text["That session is not one of your active sessions."].Value);
    }

    /// <summary>
    /// "Sign out everywhere": every session of the user, this one included, and every application's refresh tokens —
    /// offline_access ones too, which an ordinary sign-out leaves alone (OIDC Core §11).
    /// </summary>
    public async Task<IActionResult> OnPostEndAllSessionsAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return SignInAgain();
        await sessions.EndAllAsync(user.Id, CancellationToken.None);
        await revoker.RevokeUserGrantsAsync(user.Id, CancellationToken.None);
        return await SignOutHereAsync();
    }

    private string? CurrentSessionId => User.FindFirst(SessionClaims.SessionId)?.Value;

    private async Task<IActionResult> SignOutHereAsync()
    {
        // The cookie's own session: the sign-out ends its row (ServerSideSessionEvents) and clears the cookie.
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/SignOut");
    }

    private RedirectToPageResult SignInAgain() => RedirectToPage("/Account/SignIn", new { returnUrl = Url.Page("/Account/SignedIn") });

    private async Task<IActionResult> ShowAsync(TesseraUser user, string? notice = null, string? problem = null)
    {
        Notice = notice;
        Problem = problem;
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(TesseraUser user)
    {
        Username = user.UserName;
        Grants = (await consents.ListAsync(user.Id, HttpContext.RequestAborted))
            .Select(c => new GrantedApplication(c.ClientId, Name(c.ClientId), SpaceDelimited.Split(c.Scopes), DateTimeOffset.FromUnixTimeSeconds(c.GrantedAt)))
            .ToList();
        var active = await sessions.ListActiveAsync(user.Id, HttpContext.RequestAborted);
        var current = CurrentSessionId;
        Sessions = active
            .Select(s => new ListedSession(s.Id, UserAgentDescription.Describe(s.UserAgent), s.IpAddress,
                DateTimeOffset.FromUnixTimeSeconds(s.CreatedAt), DateTimeOffset.FromUnixTimeSeconds(s.LastSeenAt), s.Id == current))
            .ToList();
    }

    private string Name(string clientId) =>
        snapshots.Current.Catalog.FindClient(clientId) is { } client ? client.DisplayName ?? client.ClientId : clientId;
}
