using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tessera.Server.Configuration;
using Tessera.Server.Pages.Localization;

using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The language switcher's POST (every page's footer): keeps the reader's choice in a cookie, which comes before the
/// application's ui_locales and the browser's Accept-Language, then goes back to the page it came from.
/// </summary>
internal sealed class LanguageModel(IssuerUrls urls) : PageModel
{
    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        // Only a language the pages speak: anything else would be a cookie the localization middleware ignores.
        if (!PageCultures.Supported.Any(s => s.Culture == culture)) return BadRequest();
        Response.Cookies.Append(PageLocalization.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)), new CookieOptions
        {
            Path = urls.PathBase.Length == 0 ? "/" : urls.PathBase,
            MaxAge = TimeSpan.FromDays(365),
            HttpOnly = true,
            Secure = Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
        });
        // Only a local URL: the switcher must not become an open redirector.
        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage("/Account/SignedIn");
    }
}
