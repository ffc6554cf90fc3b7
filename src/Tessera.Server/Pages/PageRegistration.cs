using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Pages.Localization;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages;

/// <summary>The server-rendered pages: session cookie, anti-forgery, Razor Pages under the issuer's path.</summary>
internal static class PageRegistration
{
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddTesseraPages(this IServiceCollection services)
    {
        services.AddSingleton<Account.SignInEvents>();
        var authentication = services.AddAuthentication(IdentityConstants.ApplicationScheme);
        authentication.AddIdentityCookies();
        // Configured from IssuerUrls when first used, after the options validator has checked the issuer.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IssuerUrls>((cookie, urls) =>
        {
            cookie.Cookie.Name = "tessera.session";
            cookie.Cookie.HttpOnly = true;
            // Lax: the session must come along when a client's site sends the user to the authorization endpoint.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.Path = urls.PathBase.Length == 0 ? "/" : urls.PathBase;
            cookie.LoginPath = urls.PathBase + PagePaths.SignIn;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = false;
        });
        // "Remember this browser" lasts as long as Tessera:Mfa:RememberBrowser says; Identity checks the cookie's security
        // stamp, so a password change or a second-factor reset forgets every remembered browser.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme).Configure<IOptions<TesseraOptions>>((cookie, tessera) =>
        {
            cookie.Cookie.Name = "tessera.two-factor-remembered";
            cookie.Cookie.HttpOnly = true;
            cookie.ExpireTimeSpan = tessera.Value.Mfa.RememberBrowser > TimeSpan.Zero ? tessera.Value.Mfa.RememberBrowser : TimeSpan.FromMinutes(1);
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "tessera.antiforgery";
            // PageSecurityHeaders sends DENY, stricter than the SAMEORIGIN anti-forgery would add.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        // The pages live in this assembly, which is not the entry assembly when the tests host the server.
        services.AddRazorPages().AddApplicationPart(typeof(PageRegistration).Assembly).AddViewLocalization();
        services.AddPageLocalization();
        services.AddSingleton<ErrorPages>();
        services.AddSingleton<PageAssets>();
        services.AddSingleton<UserCodeAttempts>();
        services.AddSingleton<Account.AccountMail>();
        services.AddScoped<Account.PasskeyCeremony>();
        return authentication;
    }

    public static void MapTesseraPages(this WebApplication app, IssuerUrls urls)
    {
        var pages = app.MapGroup(urls.PathBase);
        pages.MapRazorPages().WithMetadata(new PageSecurityHeaders.Marker());
        foreach (var script in PageScript.All)
            pages.MapGet(script.Path, script.Serve).ExcludeFromDescription();
        pages.MapGet(PageAssets.StylesheetRoute, (HttpContext context, string name, PageAssets assets) => assets.ServeStylesheet(context, name)).ExcludeFromDescription();
        pages.MapGet(PageAssets.ImageRoute, (HttpContext context, string name, PageAssets assets) => assets.ServeImage(context, name)).ExcludeFromDescription();
    }
}
