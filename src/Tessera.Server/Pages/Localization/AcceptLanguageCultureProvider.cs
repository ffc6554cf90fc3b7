using Microsoft.AspNetCore.Localization;

using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Localization;

/// <summary>
/// RFC 9110 §12.5.4 Accept-Language, by quality: the browser's languages when neither the reader (the switcher's
/// cookie) nor the application (ui_locales) chose one. ASP.NET Core's own provider matches cultures by name and parent
/// only, so "zh" or "zh-Hans-CN" would miss zh-CN; <see cref="PageCultures.Match"/> knows they mean it.
/// </summary>
internal sealed class AcceptLanguageCultureProvider : RequestCultureProvider
{
    /// <summary>Only the first few: a header is client input, and nobody reads ten languages.</summary>
    private const int MostLanguages = 5;

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var header = httpContext.Request.GetTypedHeaders().AcceptLanguage;
        var tags = header
            .Where(language => language.Quality is not 0)
            .OrderByDescending(language => language.Quality ?? 1)
            .Take(MostLanguages)
            .Select(language => language.Value.ToString());
        return Task.FromResult(PageCultures.FirstMatch(tags) is { } culture ? new ProviderCultureResult(culture) : null);
    }
}
