using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Endpoints;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages;

/// <summary>The authorization request a page's <c>returnUrl</c> carries, read again with the authorize endpoint's own rules.</summary>
internal static class AuthorizationReturnUrl
{
    /// <summary>The request behind returnUrl, when it is a local URL of the authorize endpoint and valid; otherwise null.</summary>
    public static AuthorizationRequest? Read(string? returnUrl, IUrlHelper url, IssuerUrls urls, SnapshotCache snapshots)
    {
        var prefix = urls.PathBase + EndpointPaths.Authorize + "?";
        if (returnUrl is null || !url.IsLocalUrl(returnUrl) || !returnUrl.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var query = new QueryCollection(QueryHelpers.ParseQuery(returnUrl[(prefix.Length - 1)..]));
        return AuthorizationRequestReader.Read(query, snapshots.Current.Catalog) is { Failed: false } read ? read.Value : null;
    }
}
