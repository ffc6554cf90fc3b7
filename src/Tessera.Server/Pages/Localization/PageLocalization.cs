using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Tessera.Server.Responses;

using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Localization;

/// <summary>
/// Which language a page speaks: the reader's own choice (the switcher's cookie) first, then the application's
/// ui_locales hint (OIDC Core §3.1.2.1), then the browser's Accept-Language, else English. Only the pages are localized:
/// the protocol's and the admin API's answers stay in the invariant culture, and the token path pays nothing.
/// </summary>
internal static class PageLocalization
{
    /// <summary>The switcher's cookie, in ASP.NET Core's own format ("c=zh-CN|uic=zh-CN").</summary>
    public const string CookieName = "tessera.culture";

    public static IServiceCollection AddPageLocalization(this IServiceCollection services)
    {
        services.AddLocalization(localization => localization.ResourcesPath = "Resources");
        // Razor's encoder writes every character outside Basic Latin as a numeric reference by default: a Chinese page
        // would be all &#x...; (three times the bytes, unreadable in the source). Markup characters are still encoded.
        services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(localization =>
        {
            localization.DefaultRequestCulture = new RequestCulture(PageCultures.English);
            localization.SupportedCultures = PageCultures.All;
            localization.SupportedUICultures = PageCultures.All;
            localization.ApplyCurrentCultureToResponseHeaders = true;
            localization.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = CookieName },
                new UiLocalesCultureProvider(),
                new AcceptLanguageCultureProvider(),
            ];
        });
        services.AddSingleton<LocalTimes>();
        services.AddSingleton<ScopeSentences>();
        return services;
    }

    /// <summary>Identity's messages (the password rules) in the page's language; elsewhere they stay English.</summary>
    public static IdentityBuilder AddPageLanguageErrors(this IdentityBuilder identity) => identity.AddErrorDescriber<LocalizedIdentityErrors>();

    /// <summary>After routing, so it knows a page from a protocol endpoint.</summary>
    public static IApplicationBuilder UsePageLocalization(this IApplicationBuilder app) => app.UseWhen(
        context => context.GetEndpoint()?.Metadata.GetMetadata<PageSecurityHeaders.Marker>() is not null,
        page => page.UseRequestLocalization());
}
