using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1).</summary>
public sealed record AuthorizationRequest(
    RegisteredClient Client, string RedirectUri, string? State, IReadOnlyList<string> Scopes, string? Nonce,
    IReadOnlySet<string> Prompt, long? MaxAge, string? LoginHint, string? CodeChallenge)
{
    public bool IsOpenId => Scopes.Contains("openid");

    /// <summary>
    /// A second factor is needed for this request: acr_values ask for urn:tessera:acr:mfa (OIDC Core §3.1.2.1), or the
    /// client is registered with <c>requireMfa</c>.
    /// </summary>
    public bool SecondFactorRequired { get; init; }
}

/// <summary>Reads the authorization request; shared by the authorize endpoint and the consent page, so both apply the same rules.</summary>
public static class AuthorizationRequestReader
{
    private static readonly HashSet<string> PromptValues = new(StringComparer.Ordinal) { "none", "login", "consent", "select_account" };

    /// <summary>
    /// The request, or the error that ends it: for the error page when the client or redirect URI cannot be trusted,
    /// with <see cref="OAuthError.Redirect"/> set when it may go to the verified redirect URI.
    /// </summary>
    public static Outcome<AuthorizationRequest> Read(IQueryCollection query, ClientCatalog catalog)
    {
        // RFC 6749 §3.1: parameters must not be repeated.
        if (query.Any(p => p.Value.Count > 1)) return Page(OAuthError.InvalidRequest("a parameter of the authorization request is repeated"));

        // RFC 6749 §4.1.2.1: with a missing or unknown client or redirect URI, the user is told, never redirected.
        var clientId = Single(query, Parameters.ClientId);
        if (clientId is null) return Page(OAuthError.InvalidRequest("client_id is required"));
        var client = catalog.FindClient(clientId);
        if (client is null) return Page(OAuthError.InvalidClient("the client is not registered", usedBasic: false));
        var redirectUri = Single(query, Parameters.RedirectUri);
        // OIDC Core §3.1.2.1: redirect_uri is required, and RFC 9700 §4.1.3 compares it exactly.
        if (redirectUri is null) return Page(OAuthError.InvalidRequest("redirect_uri is required"));
        if (!RedirectUris.IsRegistered(redirectUri, client))
            return Page(OAuthError.InvalidRequest("redirect_uri is not registered for this client"));

        var state = Single(query, Parameters.State);
        OAuthError Fail(OAuthError error) => error with { Redirect = new ErrorRedirect(redirectUri, state) };

        // OIDC Core §6.2: a request_uri by reference to elsewhere is not fetched; only this server's pushed requests
        // (RFC 9126) are, resolved by AuthorizationRequestSource before this reader, like request objects (RFC 9101).
        if (Single(query, Parameters.RequestUri) is not null)
            return Fail(OAuthError.RequestUriNotSupported("request_uri must be one this server returned from its pushed authorization request endpoint"));
        // Every caller resolves a request object first (AuthorizationRequestSource, the PAR endpoint); one that did not
        // must not act on the unsigned parameters beside it.
        if (Single(query, Parameters.Request) is not null)
            return Fail(OAuthError.InvalidRequestObject("the request object was not read"));

        var responseType = Single(query, Parameters.ResponseType);
        if (responseType is null) return Fail(OAuthError.InvalidRequest("response_type is required"));
        if (responseType != "code") return Fail(OAuthError.UnsupportedResponseType("only response_type=code is supported"));
        if (Single(query, Parameters.ResponseMode) is { } mode && mode != "query")
            return Fail(OAuthError.InvalidRequest("only response_mode=query is supported"));
        // RFC 6749 §4.1.2.1: the client must be allowed the authorization code grant.
        if (!client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
            return Fail(OAuthError.UnauthorizedClient("the client may not use the authorization code grant"));

        var scopes = ScopePolicy.RequestedByClient(Single(query, Parameters.Scope), client);
        if (scopes.Failed) return Fail(scopes.Error);

        var pkce = Pkce.CheckChallenge(Single(query, Parameters.CodeChallenge), Single(query, Parameters.CodeChallengeMethod), client.RequirePkce);
        if (pkce.Failed) return Fail(pkce.Error);

        var prompt = SpaceDelimited.ToSet(Single(query, Parameters.Prompt));
        if (prompt.Any(p => !PromptValues.Contains(p))) return Fail(OAuthError.InvalidRequest("prompt has an unknown value"));
        // OIDC Core §3.1.2.1: none must not be combined with any other value.
        if (prompt.Contains("none") && prompt.Count > 1) return Fail(OAuthError.InvalidRequest("prompt=none cannot be combined with other values"));

        long? maxAge = null;
        if (Single(query, Parameters.MaxAge) is { } maxAgeText)
        {
            if (!long.TryParse(maxAgeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                return Fail(OAuthError.InvalidRequest("max_age must be a non-negative number of seconds"));
            maxAge = seconds;
        }
        var nonce = Single(query, Parameters.Nonce);
        if (nonce is { Length: > 512 }) return Fail(OAuthError.InvalidRequest("nonce is too long"));

        return new AuthorizationRequest(client, redirectUri, state, scopes.Value, nonce, prompt, maxAge,
            Single(query, Parameters.LoginHint), Single(query, Parameters.CodeChallenge))
        {
            SecondFactorRequired = client.RequireMfa || AuthenticationContextClasses.DemandSecondFactor(Single(query, Parameters.AcrValues)),
        };
    }

    /// <summary>RFC 6749 §4.1.2 and RFC 9207 §2: the response goes to the redirect URI's query, with state and iss.</summary>
    public static string ResponseUrl(string redirectUri, string? state, string issuer, params (string Name, string Value)[] parameters)
    {
        var values = parameters.ToDictionary(p => p.Name, p => (string?)p.Value);
        if (state is not null) values[Parameters.State] = state;
        values["iss"] = issuer;
        return QueryHelpers.AddQueryString(redirectUri, values);
    }

    /// <summary>The same request with some prompt values removed: where the sign-in or consent page returns to.</summary>
    public static string Without(string pathBase, IQueryCollection query, params string[] promptValues)
    {
        // An interaction proof belongs to the request it came back with; a new round trip gets a new one.
        var values = query.Where(p => p.Key != InteractionProofs.Parameter)
            .Where(p => p.Key != Parameters.MaxAge || !promptValues.Contains("login"))
            .ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        if (values.TryGetValue(Parameters.Prompt, out var prompt))
        {
            var remaining = SpaceDelimited.Split(prompt).Where(p => !promptValues.Contains(p)).ToList();
            // A request by reference (RFC 9126) or request object (RFC 9101) keeps prompt, empty: the values it left out
            // stay left out.
            if (remaining.Count == 0 && !values.ContainsKey(Parameters.RequestUri) && !values.ContainsKey(Parameters.Request))
                values.Remove(Parameters.Prompt);
            else values[Parameters.Prompt] = SpaceDelimited.Join(remaining);
        }
        return QueryHelpers.AddQueryString(pathBase + EndpointPaths.Authorize, values);
    }

    private static OAuthError Page(OAuthError error) => error;

    private static string? Single(IQueryCollection query, string name) => query[name] is { Count: 1 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
}
