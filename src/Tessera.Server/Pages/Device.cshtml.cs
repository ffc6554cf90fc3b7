using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.DeviceAuthorizations;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages;

/// <summary>
/// RFC 8628 §3.3: the verification page. The signed-in user enters the code their device shows, sees which
/// application asks for what, and allows or denies it. Wrong codes are limited per user (<see cref="UserCodeAttempts"/>),
/// posts per client IP (<see cref="Throttling.RequestRateLimits.DevicePage"/>).
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Throttling.RequestRateLimits.DevicePage)]
internal sealed class DeviceModel(
    DeviceAuthorizationStore devices, SnapshotCache snapshots, UserManager<TesseraUser> users, ConsentStore consents,
    UserCodeAttempts attempts, IssuerUrls urls, HeldScopes heldScopes, IStringLocalizer<PageText> text) : PageModel
{
    private string WrongCode => text["That code is not valid, or it has expired."];

    public enum Steps { Enter, Confirm, Approved, Denied }

    [BindProperty(SupportsGet = true, Name = Parameters.UserCode)] public string? UserCode { get; set; }
    public Steps Step { get; private set; } = Steps.Enter;
    public string? Problem { get; private set; }
    public string ClientName { get; private set; } = "";
    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await users.GetUserAsync(User) is null ? SignIn() : Page();

    public async Task<IActionResult> OnPostAsync(string? decision)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return SignIn();
        var (guess, retryAfter) = await attempts.TryReserveAsync(user.Id, HttpContext.RequestAborted);
        if (guess is null)
        {
            Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Refuse(StatusCodes.Status429TooManyRequests, text["Too many wrong codes. Wait a few minutes, then try again."]);
        }

        var code = UserCodes.Normalize(UserCode);
        var device = code is null ? null : await devices.FindPendingAsync(code, HttpContext.RequestAborted);
        var client = device is null ? null : snapshots.Current.Catalog.FindClient(device.ClientId);
        // A wrong code keeps the guess it reserved; a right one gives it back.
        if (device is null || client is null) return Refuse(StatusCodes.Status400BadRequest, WrongCode);
        await guess.GiveBackAsync();

        UserCode = UserCodes.Format(code!);
        ClientName = client.DisplayName ?? client.ClientId;
        // Roles (issue 16): the page shows, and the approval grants, only the scopes this user holds; the device code
        // grant narrows the same way when the device polls.
        Scopes = await heldScopes.OfAsync(user.Id, SpaceDelimited.Split(device.Scope), snapshots.Current.Catalog, HttpContext.RequestAborted);
        // The client's requireMfa holds here too: a session that gave no second factor approves nothing for it.
        if (client.RequireMfa && !SessionClaims.GaveSecondFactor(User))
        {
            if (!await SecondFactors.HasAnyAsync(users, user))
                return Refuse(StatusCodes.Status403Forbidden, text["This application requires a sign-in with a second factor. Set one up on your security page first."]);
            return StepUp();
        }
        if (decision is null)
        {
            Step = Steps.Confirm;
            return Page();
        }

        var approve = decision == "allow";
        if (!await devices.DecideAsync(code!, approve, user.Id, SessionClaims.AuthTimeOf(User), SessionClaims.AmrOf(User),
                User.FindFirst(SessionClaims.SessionId)?.Value, HttpContext.RequestAborted))
            return Refuse(StatusCodes.Status400BadRequest, WrongCode);
        // Approving is consenting: the grant shows on the account page, where it can be withdrawn.
        if (approve) await consents.GrantAsync(user.Id, client.ClientId, Scopes, HttpContext.RequestAborted);
        Step = approve ? Steps.Approved : Steps.Denied;
        return Page();
    }

    private PageResult Refuse(int status, string problem)
    {
        Response.StatusCode = status;
        Problem = problem;
        Step = Steps.Enter;
        return Page();
    }

    /// <summary>The code page for the signed-in user, then back here with the code filled in.</summary>
    private RedirectResult StepUp() =>
        Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.TwoFactor, "returnUrl",
            QueryHelpers.AddQueryString(urls.PathBase + PagePaths.Device, Parameters.UserCode, UserCode!)));

    private RedirectResult SignIn()
    {
        var returnUrl = urls.PathBase + PagePaths.Device;
        if (UserCode is not null) returnUrl = QueryHelpers.AddQueryString(returnUrl, Parameters.UserCode, UserCode);
        return Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.SignIn, "returnUrl", returnUrl));
    }
}
