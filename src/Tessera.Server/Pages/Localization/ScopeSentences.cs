using Microsoft.Extensions.Localization;
using Tessera.Server.Catalog;

using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Localization;

/// <summary>
/// What a scope lets an application do, as a sentence in the reader's language (consent, device, account and token
/// pages). The API's own words come first — its <c>displayNames</c> in the import, for the page's culture, then in
/// English — and Tessera's sentences for the scopes it knows; a scope nobody described is named as it is.
/// </summary>
internal sealed class ScopeSentences(IStringLocalizer<PageText> text, SnapshotCache snapshots)
{
    private const string AdminPrefix = "tessera:admin:";

    public string Describe(string scope)
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        var named = snapshots.Current.Catalog.ApisByScope.GetValueOrDefault(scope)?.ScopeDisplayNames.GetValueOrDefault(scope);
        if (named?.GetValueOrDefault(culture) is { } own) return own;
        return scope switch
        {
            "openid" => text["Know who you are (your user identifier)"],
            "profile" => text["See your name and username"],
            "email" => text["See your e-mail address"],
            "offline_access" => text["Stay connected when you are not using it"],
            "tessera:pats" => text["Create, list and revoke your personal access tokens"],
            "tessera:admin" => text["Administer this server"],
            "tessera:admin:read" => text["See this server's settings, clients, APIs, roles and users"],
            _ when scope.StartsWith(AdminPrefix, StringComparison.Ordinal) => text["Administer this server's {0}", scope[AdminPrefix.Length..]],
            _ => named?.GetValueOrDefault(PageCultures.English) ?? text["Use the API permission \"{0}\" on your behalf", scope],
        };
    }
}
