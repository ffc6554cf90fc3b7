using Microsoft.AspNetCore.Localization;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Localization;

/// <summary>
/// OIDC Core §3.1.2.1 ui_locales: the application's hint of the languages its user reads, space-delimited in order of
/// preference. It arrives at the authorization endpoint, which sends the browser to sign-in or consent with the whole
/// request as returnUrl, so the hint is read from the page's own query or from the returnUrl (query or posted form) —
/// for a pushed request or a request object, the returnUrl repeats the request's own hint (AuthorizationRequestSource.ByReference).
/// </summary>
internal sealed class UiLocalesCultureProvider : RequestCultureProvider
{
    private const string ReturnUrl = "returnUrl";

    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var hint = request.Query[Parameters.UiLocales].ToString();
        if (hint.Length == 0)
        {
            var returnUrl = request.Query[ReturnUrl].ToString();
            if (returnUrl.Length == 0 && request.HasFormContentType)
                returnUrl = (await request.ReadFormAsync(httpContext.RequestAborted)).TryGetValue(ReturnUrl, out var posted) ? posted.ToString() : "";
            hint = HintInside(returnUrl);
        }
        return PageCultures.FirstMatch(SpaceDelimited.Split(hint)) is { } culture ? new ProviderCultureResult(culture) : null;
    }

    /// <summary>The ui_locales of a local return URL's query; nothing for anything else.</summary>
    private static string HintInside(string returnUrl)
    {
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        if (query < 0) return "";
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(returnUrl[query..]).TryGetValue(Parameters.UiLocales, out var value) ? value.ToString() : "";
    }
}
