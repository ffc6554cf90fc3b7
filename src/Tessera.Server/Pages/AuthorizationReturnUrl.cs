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
    public static async Task<AuthorizationRequest?> ReadAsync(
        string? returnUrl, IUrlHelper url, IssuerUrls urls, SnapshotCache snapshots, AuthorizationRequestSource source, CancellationToken cancellationToken)
    {
        if (QueryOf(returnUrl, url, urls) is not { } query) return null;
        // RFC 9126 and RFC 9101: a request by reference or request object is read from what its client pushed or signed.
        var resolved = await source.ResolveAsync(query, cancellationToken);
        if (resolved.Failed) return null;
        return AuthorizationRequestReader.Read(resolved.Value.Parameters, snapshots.Current.Catalog) is { Failed: false } read ? read.Value : null;
    }

    /// <summary>
    /// Where the flow may end up: the redirect URI behind returnUrl, when it is registered for the request's client —
    /// for a page's form-action only (browsers check it along the redirect chain), so a request by reference is not
    /// looked up (nor a request object verified): its returnUrl repeats the request's redirect_uri (AuthorizationRequestSource.ByReference), checked here.
    /// </summary>
    public static string? RedirectUriOf(string? returnUrl, IUrlHelper url, IssuerUrls urls, SnapshotCache snapshots)
    {
        if (QueryOf(returnUrl, url, urls) is not { } query) return null;
        if (!query.ContainsKey(Parameters.RequestUri) && !query.ContainsKey(Parameters.Request))
            return AuthorizationRequestReader.Read(query, snapshots.Current.Catalog) is { Failed: false } read ? read.Value.RedirectUri : null;
        var client = snapshots.Current.Catalog.FindClient(query[Parameters.ClientId].ToString());
        var redirectUri = query[Parameters.RedirectUri].ToString();
        return client is not null && Protocol.Rules.RedirectUris.IsRegistered(redirectUri, client) ? redirectUri : null;
    }

    /// <summary>Whether returnUrl is a local URL of the authorize endpoint (not whether its request is valid).</summary>
    public static bool IsAuthorizationRequest(string? returnUrl, IUrlHelper url, IssuerUrls urls) => QueryOf(returnUrl, url, urls) is not null;

    private static QueryCollection? QueryOf(string? returnUrl, IUrlHelper url, IssuerUrls urls)
    {
        var prefix = urls.PathBase + EndpointPaths.Authorize + "?";
        if (returnUrl is null || !url.IsLocalUrl(returnUrl) || !returnUrl.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return new QueryCollection(QueryHelpers.ParseQuery(returnUrl[(prefix.Length - 1)..]));
    }
}
