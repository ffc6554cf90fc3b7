using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Endpoints;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages;

/// <summary>
/// Asks the signed-in user to approve a client's scopes. The authorization request travels in <c>returnUrl</c> and is
/// read again with the authorize endpoint's own rules, so this page trusts nothing the browser sends.
/// </summary>
internal sealed class ConsentModel(
    SnapshotCache snapshots, IssuerUrls urls, ErrorPages errors, UserManager<TesseraUser> users, ConsentStore consents,
    InteractionProofs interactions, HeldScopes heldScopes, AuthorizationRequestSource source) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string ClientName { get; private set; } = "";
    public IReadOnlyList<string> Scopes { get; private set; } = [];

    /// <summary>RFC 7591 §5: a client that registered itself chose its own name; the user is told it is not vouched for.</summary>
    public bool Unverified { get; private set; }

    /// <summary>RFC 7591 §2 logo_uri and client_uri, as registered (https only, ClientDisplayUris).</summary>
    public string? LogoUri { get; private set; }
    public string? ClientUri { get; private set; }

    /// <summary>Who is about to give the access: a shared computer's previous user sees it is not them ("not you?").</summary>
    public string Account { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await ReadAsync() is not { } request) return Redirect(errors.Link(OAuthError.InvalidRequest("the authorization request is missing or invalid")));
        var user = await users.GetUserAsync(User);
        if (user is null) return SignIn();
        ClientName = request.Client.DisplayName ?? request.Client.ClientId;
        Unverified = request.Client.IsDynamic;
        (LogoUri, ClientUri) = (request.Client.LogoUri, request.Client.ClientUri);
        Account = user.UserName ?? user.Id;
        // Roles (issue 16): the page shows only what this user can be granted (the authorize endpoint narrows the same way).
        Scopes = await heldScopes.OfAsync(user.Id, request.Scopes, snapshots.Current.Catalog, HttpContext.RequestAborted);
        if (Scopes.Count == 0) return Redirect(AccessDenied(request, "the user holds none of the requested scopes"));
        // The POST ends in a redirect to the client: browsers check it against form-action. The logo is the only
        // resource of another origin any page loads, so its origin is allowed here and nowhere else.
        PageSecurityHeaders.Apply(Response, [request.RedirectUri], imageSource: LogoUri);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision)
    {
        if (await ReadAsync() is not { } request) return Redirect(errors.Link(OAuthError.InvalidRequest("the authorization request is missing or invalid")));
        var user = await users.GetUserAsync(User);
        if (user is null) return SignIn();

        if (decision != "allow")
        {
            // RFC 6749 §4.1.2.1: the user said no.
            return Redirect(AccessDenied(request, "the user denied the request"));
        }
        var held = await heldScopes.OfAsync(user.Id, request.Scopes, snapshots.Current.Catalog, HttpContext.RequestAborted);
        if (held.Count == 0) return Redirect(AccessDenied(request, "the user holds none of the requested scopes"));
        await consents.GrantAsync(user.Id, request.Client.ClientId, held, HttpContext.RequestAborted);
        // RFC 8252 §8.6: a stored consent does not answer such a request; this approval of it does, once it is back.
        return LocalRedirect(NativeClientInteraction.IsRequired(request) ? interactions.Append(ReturnUrl!, user.Id) : ReturnUrl!);
    }

    /// <summary>The authorization request behind returnUrl, when it is a local URL of the authorize endpoint and valid.</summary>
    private Task<AuthorizationRequest?> ReadAsync() => AuthorizationReturnUrl.ReadAsync(ReturnUrl, Url, urls, snapshots, source, HttpContext.RequestAborted);

    private string AccessDenied(AuthorizationRequest request, string description) =>
        AuthorizationRequestReader.ResponseUrl(request.RedirectUri, request.State, urls.Issuer,
            (Parameters.Error, "access_denied"), (Parameters.ErrorDescription, description));

    private RedirectResult SignIn() =>
        Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.SignIn, "returnUrl", ReturnUrl ?? ""));
}
