using Microsoft.AspNetCore.Authentication;
using Tessera.Gateway.Authentication;

namespace Tessera.Gateway;

/// <summary><c>/login</c> and <c>/logout</c> of the browser session, and Tessera's back-channel logout.</summary>
internal static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", Login);
        app.MapPost("/logout", Logout);
        app.MapPost(BackChannelLogoutPath, BackChannelLogoutAsync).DisableAntiforgery();
    }

    /// <summary>Register <c>{gateway}/backchannel-logout</c> as the gateway client's backchannelLogoutUri at Tessera.</summary>
    public const string BackChannelLogoutPath = "/backchannel-logout";

    /// <summary>
    /// OIDC Back-Channel Logout 1.0 §2.8: Tessera POSTs a logout token when a session ends; every gateway session begun in
    /// it is refused from its next request. 200 when done, 400 with an OAuth error otherwise; never cached.
    /// </summary>
    private static async Task<IResult> BackChannelLogoutAsync(HttpContext context, LogoutTokenValidator validator, EndedSessions ended)
    {
        context.Response.Headers.CacheControl = "no-store";
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        var (sid, error) = await validator.ValidateAsync(form?["logout_token"], context.RequestAborted);
        if (sid is null) return Results.Json(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = error! }, statusCode: 400);
        await ended.EndAsync(sid, context.RequestAborted);
        return Results.Ok();
    }

    /// <summary>Starts the code flow at Tessera; afterwards the browser returns to <c>returnUrl</c>, a local path only.</summary>
    private static IResult Login(string? returnUrl) =>
        Results.Challenge(new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" }, [GatewaySchemes.OpenIdConnect]);

    /// <summary>Ends the session here (its server-side ticket is removed) and at Tessera (RP-initiated logout).</summary>
    private static IResult Logout() =>
        Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [GatewaySchemes.Cookie, GatewaySchemes.OpenIdConnect]);

    /// <summary>
    /// A path on this site: "/…" but not "//host" or "/\\host" (protocol-relative), and no control characters, which
    /// browsers strip ("/\t/evil.example" becomes "//evil.example").
    /// </summary>
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
