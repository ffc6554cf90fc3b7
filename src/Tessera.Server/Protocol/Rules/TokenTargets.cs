using Tessera.Server.Catalog;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// Chooses the API(s) of an access token from <c>resource</c> (RFC 8707) and <c>scope</c> (RFC 6749 §3.3),
/// within what the client is allowed.
/// </summary>
public static class TokenTargets
{
    public static Outcome<TokenTarget> Select(string? scopeParameter, IReadOnlyList<string> resources, RegisteredClient client, ClientCatalog catalog)
    {
        var requested = ScopePolicy.Parse(scopeParameter);
        if (requested.Failed) return requested.Error;

        var named = NamedApis(resources, catalog);
        if (named.Failed) return named.Error;
        foreach (var api in named.Value)
        {
            if (!api.Scopes.Any(client.Scopes.Contains))
                return OAuthError.InvalidTarget($"the client may not request tokens for '{api.Audience}'");
        }

        var scopes = requested.Value.Length > 0 ? CheckRequested(requested.Value, named.Value, client, catalog) : DefaultScopes(named.Value, client, catalog);
        if (scopes.Failed) return scopes.Error;

        var apis = named.Value.Count > 0 ? named.Value : scopes.Value.Select(s => catalog.ApisByScope[s]).Distinct().ToList();
        return Combine(apis, scopes.Value, client);
    }

    /// <summary>
    /// The access token of a user's grant: the APIs of the granted API scopes — narrowed to the <c>resource</c>s of the
    /// token request (RFC 8707 §2.2), which must be among them — or Tessera itself (for UserInfo) when only OpenID
    /// Connect scopes were granted. The token carries its APIs' granted scopes and every granted non-API scope (openid…).
    /// </summary>
    public static Outcome<TokenTarget> ForUser(IReadOnlyList<string> granted, IReadOnlyList<string?> resources, RegisteredClient client, ClientCatalog catalog)
    {
        var grantedApis = granted.Where(catalog.ApisByScope.ContainsKey).Select(s => catalog.ApisByScope[s]).Distinct().ToList();
        var named = NamedApis(resources, catalog);
        if (named.Failed) return named.Error;
        // RFC 8707 §2.2: a token request names a resource the grant covers; it narrows, never widens.
        if (named.Value.FirstOrDefault(api => !grantedApis.Contains(api)) is { } outside)
            return OAuthError.InvalidTarget($"the grant does not cover resource '{outside.Audience}'");

        var apis = named.Value.Count > 0 ? named.Value : grantedApis;
        IReadOnlyList<string> scopes = named.Value.Count == 0 ? granted
            : granted.Where(s => !catalog.ApisByScope.TryGetValue(s, out var api) || apis.Contains(api)).ToList();
        if (apis.Count == 0) apis = [catalog.ApisByName[BuiltInApi.Name]];
        return Combine(apis, scopes, client);
    }

    /// <summary>
    /// RFC 8707 §2: an absolute URI (RFC 3986 §4.3) without a fragment. On Unix, .NET also parses "/path" and
    /// "//host/path" as absolute file URIs, so the scheme must be spelled out in the value itself.
    /// </summary>
    public static bool IsResourceIndicator(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.Fragment)
        && value!.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 8707 §2: each <c>resource</c> is an absolute URI naming a registered API (invalid_target otherwise).</summary>
    private static Outcome<List<RegisteredApi>> NamedApis(IReadOnlyList<string?> resources, ClientCatalog catalog)
    {
        var named = new List<RegisteredApi>();
        foreach (var resource in resources)
        {
            if (!IsResourceIndicator(resource))
                return OAuthError.InvalidTarget("resource must be an absolute URI without a fragment");
            if (!catalog.ApisByAudience.TryGetValue(resource!, out var api))
                return OAuthError.InvalidTarget($"unknown resource '{resource}'");
            if (!named.Contains(api)) named.Add(api);
        }
        return named;
    }

    private static Outcome<IReadOnlyList<string>> CheckRequested(string[] requested, List<RegisteredApi> named, RegisteredClient client, ClientCatalog catalog)
    {
        foreach (var scope in requested)
        {
            if (ScopePolicy.Identity.Contains(scope))
                return OAuthError.InvalidScope($"'{scope}' describes a user and cannot be granted without one");
            if (!catalog.ApisByScope.TryGetValue(scope, out var api))
                return OAuthError.InvalidScope($"unknown scope '{scope}'");
            // RFC 6749 §3.3: the server may refuse scopes the client is not registered for.
            if (!client.Scopes.Contains(scope))
                return OAuthError.InvalidScope($"the client may not request scope '{scope}'");
            if (named.Count > 0 && !named.Contains(api))
                return OAuthError.InvalidScope($"scope '{scope}' does not belong to the requested resource");
        }
        return requested;
    }

    /// <summary>RFC 6749 §3.3: without <c>scope</c> the server uses a documented default: everything the client may have
    /// at the named resource, or at its only API.</summary>
    private static Outcome<IReadOnlyList<string>> DefaultScopes(List<RegisteredApi> named, RegisteredClient client, ClientCatalog catalog)
    {
        var allowed = client.Scopes.Where(catalog.ApisByScope.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (named.Count > 0) allowed = allowed.Where(s => named.Contains(catalog.ApisByScope[s])).ToList();
        if (allowed.Count == 0) return OAuthError.InvalidScope("the client is not allowed any API scope");
        if (named.Count == 0 && allowed.Select(s => catalog.ApisByScope[s]).Distinct().Count() > 1)
            return OAuthError.InvalidScope("scope is required: this client may request tokens for more than one API");
        return allowed;
    }

    private static Outcome<TokenTarget> Combine(List<RegisteredApi> apis, IReadOnlyList<string> scopes, RegisteredClient client)
    {
        if (apis.Count > 1)
        {
            // RFC 9700 §2.3 (audience-restricted tokens): a token for two APIs lets either replay it at the other, so
            // each token names one API unless the operator allowed this client more (multiAudienceTokens).
            if (!client.MultiAudienceTokens)
                return OAuthError.InvalidTarget($"one access token is for one API, and this covers {string.Join(", ", apis.Select(a => a.Name))}: request one token per API with the resource parameter (RFC 8707)");
            // One token, one format and one signature: APIs that disagree on either need separate requests.
            if (apis.Any(a => a.AccessTokenFormat != apis[0].AccessTokenFormat))
                return OAuthError.InvalidTarget($"the requested APIs ({string.Join(", ", apis.Select(a => a.Name))}) use different access-token formats; request one token per API with the resource parameter");
            if (apis.Any(a => a.SigningAlgorithm != apis[0].SigningAlgorithm))
                return OAuthError.InvalidTarget($"the requested APIs ({string.Join(", ", apis.Select(a => a.Name))}) use different signing algorithms; request one token per API with the resource parameter");
            // RFC 9700 §2.3: a token for Tessera itself (the admin or PAT API) goes to no other API, which could replay it here.
            if (apis.Any(a => a.Name == BuiltInApi.Name))
                return OAuthError.InvalidTarget("Tessera's own scopes (tessera:admin, tessera:pats) must be requested without other APIs' scopes");
            // Each shared-secret API verifies with its own secret, so a token can only ever be for one of them.
            if (apis.Any(a => a.UsesSharedSecret))
                return OAuthError.InvalidTarget("an API with a shared signing secret must be requested on its own");
        }
        return new TokenTarget(apis, scopes);
    }
}
