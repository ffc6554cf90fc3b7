using Tessera.Server.Configuration;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The browser's half of a passkey ceremony: the random handle of the row <see cref="PasskeyCeremonies"/> keeps, in an
/// HttpOnly, SameSite=Strict cookie that lives as long as the ceremony. The challenge itself never leaves the server.
/// </summary>
internal static class PasskeyCeremonyCookie
{
    public const string Name = "tessera.passkey";

    public static void Set(HttpContext context, IssuerUrls urls, string handle) =>
        context.Response.Cookies.Append(Name, handle, Options(context, urls));

    /// <summary>The handle, which is gone from the browser afterwards (the row is what counts; this is tidiness).</summary>
    public static string? Take(HttpContext context, IssuerUrls urls)
    {
        var handle = context.Request.Cookies[Name];
        if (handle is not null) context.Response.Cookies.Delete(Name, Options(context, urls));
        return handle;
    }

    private static CookieOptions Options(HttpContext context, IssuerUrls urls) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = urls.PathBase.Length == 0 ? "/" : urls.PathBase,
        MaxAge = PasskeyCeremonies.Lifetime,
    };
}
