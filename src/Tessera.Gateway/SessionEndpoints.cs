using Microsoft.AspNetCore.Authentication;
using Tessera.Gateway.Authentication;

namespace Tessera.Gateway;

/// <summary><c>/login</c> and <c>/logout</c> of the browser session.</summary>
internal static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", Login);
        app.MapPost("/logout", Logout);
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
