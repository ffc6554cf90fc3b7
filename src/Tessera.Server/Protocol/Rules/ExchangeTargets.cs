using Tessera.Server.Catalog;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// The API and scopes of a token issued by token exchange (RFC 8693 §2.1): exactly one API, named by <c>audience</c>
/// (its audience or its name) or <c>resource</c> (its audience), that the exchanging client may target.
/// </summary>
public static class ExchangeTargets
{
    /// <param name="subjectScopes">
    /// The subject token's scopes, in its order; for an ID token the scopes the user consented to at the client (narrowed
    /// here to the target API's), or null when the client needs no consent.
    /// </param>
    /// <param name="isSignIn">The subject is an ID token: a sign-in, whose rights at the target are the consented scopes.</param>
    public static Outcome<TokenTarget> Select(ProtocolForm form, IReadOnlyList<string>? subjectScopes, bool isSignIn, RegisteredClient client, ClientCatalog catalog)
    {
        var api = SelectApi(form, catalog);
        if (api.Failed) return api.Error;
        // A token for Tessera's own admin API is never derived from another party's token.
        if (api.Value.Name == BuiltInApi.Name)
            return OAuthError.InvalidTarget("tokens for the admin API cannot be obtained by token exchange");
        // RFC 8693 §2.2.2: invalid_target when the server is unwilling to issue a token for the target.
        if (!api.Value.Scopes.Any(client.Scopes.Contains))
            return OAuthError.InvalidTarget($"the client may not request tokens for '{api.Value.Audience}'");

        var requested = ScopePolicy.Parse(form[Parameters.Scope]);
        if (requested.Failed) return requested.Error;
        // An access token's scopes travel on (the chain of services sees the caller's rights), but only those the
        // exchanging client is registered for: a client never passes on a right it could not hold itself. An ID token
        // grants the target API's scopes the client is registered for, and with consent required only those the user approved.
        var registered = api.Value.Scopes.Where(client.Scopes.Contains);
        IReadOnlyList<string> allowed = !isSignIn ? subjectScopes!.Where(client.Scopes.Contains).ToList()
            : (subjectScopes is null ? registered : registered.Where(subjectScopes.Contains)).Order(StringComparer.Ordinal).ToList();
        foreach (var scope in requested.Value)
        {
            // RFC 8693 §5: the new token may narrow the subject token's rights, never widen them.
            if (isSignIn && !allowed.Contains(scope))
                return OAuthError.InvalidScope($"the client may not request scope '{scope}' for '{api.Value.Audience}' for this user");
            if (!isSignIn && !subjectScopes!.Contains(scope))
                return OAuthError.InvalidScope($"scope '{scope}' is not granted by the subject token");
            // RFC 8693 §2.2.2: invalid_scope for a scope the client is not allowed to obtain.
            if (!isSignIn && !client.Scopes.Contains(scope))
                return OAuthError.InvalidScope($"the client is not registered for scope '{scope}'");
        }
        var scopes = requested.Value.Length > 0 ? requested.Value : allowed;
        if (isSignIn && scopes.Count == 0)
            return OAuthError.InvalidScope($"the user has not granted this client any scope of '{api.Value.Audience}'");
        if (scopes.Count == 0)
            return OAuthError.InvalidScope("the subject token carries no scope the client is registered for");
        return new TokenTarget([api.Value], scopes);
    }

    private static Outcome<RegisteredApi> SelectApi(ProtocolForm form, ClientCatalog catalog)
    {
        var found = new List<RegisteredApi>();
        foreach (var audience in form.All(Parameters.Audience))
        {
            // RFC 8693 §2.1: audience is a logical name the server understands: an API's audience or its name.
            var api = catalog.ApisByAudience.GetValueOrDefault(audience!) ?? catalog.ApisByName.GetValueOrDefault(audience!);
            if (api is null) return OAuthError.InvalidTarget($"unknown audience '{audience}'");
            if (!found.Contains(api)) found.Add(api);
        }
        foreach (var resource in form.All(Parameters.Resource))
        {
            // RFC 8693 §2.1, RFC 8707 §2: an absolute URI without a fragment.
            if (!TokenTargets.IsResourceIndicator(resource))
                return OAuthError.InvalidTarget("resource must be an absolute URI without a fragment");
            if (!catalog.ApisByAudience.TryGetValue(resource!, out var api))
                return OAuthError.InvalidTarget($"unknown resource '{resource}'");
            if (!found.Contains(api)) found.Add(api);
        }
        return found.Count switch
        {
            0 => OAuthError.InvalidRequest("audience or resource is required: the API the new token is for"),
            1 => found[0],
            _ => OAuthError.InvalidTarget("a token exchange issues a token for one API; send one audience or resource"),
        };
    }
}
