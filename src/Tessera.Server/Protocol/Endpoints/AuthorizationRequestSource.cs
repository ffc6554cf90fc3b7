using Microsoft.Extensions.Primitives;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens.PushedAuthorizations;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// Where an authorization request's parameters come from: the query itself; a request object the client signed, sent
/// by value in <c>request</c> (RFC 9101); or — RFC 9126 §4 — the request a client pushed, named by <c>request_uri</c>.
/// Shared by the authorize endpoint and the consent page.
/// </summary>
internal sealed class AuthorizationRequestSource(
    PushedAuthorizationStore pushed, RequestObjects requestObjects, SnapshotCache snapshots, IClientDocumentLoader documents)
{
    /// <summary>
    /// The parameters the request stands for; <paramref name="PushedHash"/> names the pushed request it came by,
    /// <paramref name="Indirect"/> says it came by a request object or by reference, not in the query itself.
    /// </summary>
    public sealed record Resolved(IQueryCollection Parameters, byte[]? PushedHash, bool Indirect);

    /// <summary>
    /// The request behind <paramref name="query"/>. By reference or by request object, only the pushed or signed
    /// parameters count (RFC 9126 §4, RFC 9101 §6.3), with three exceptions written by this server's own pages: prompt
    /// may drop values the request has (a sign-in or consent already given), redirect_uri may repeat the request's (so a
    /// page can allow it in form-action), and the consent page's interaction proof rides along; anything else beside it
    /// is ignored. A refusal goes to the error page, or to the client when the query's own redirect URI is registered
    /// for it.
    /// </summary>
    public async Task<Outcome<Resolved>> ResolveAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        // A client_id that names a client ID metadata document is read (or refreshed) before any rule looks the client up.
        if (query[Parameters.ClientId] is { Count: 1 } named && await documents.LoadAsync(named[0], cancellationToken) is { } unusable)
            return unusable;
        // Not a pushed request's: a request_uri by reference to elsewhere (OIDC Core §6.2) stays unsupported, refused by the
        // reader once the redirect URI is verified.
        var byReference = query.TryGetValue(Parameters.RequestUri, out var requestUri)
            && requestUri.ToString().StartsWith(PushedAuthorizationStore.RequestUriPrefix, StringComparison.Ordinal);
        var byValue = query.TryGetValue(Parameters.Request, out var requestObject);
        if (!byReference && !byValue) return new Resolved(query, null, Indirect: false);
        // RFC 6749 §3.1: parameters must not be repeated.
        if (query.Any(p => p.Value.Count > 1)) return OAuthError.InvalidRequest("a parameter of the authorization request is repeated");
        // RFC 9101 §5: one way or the other, never both.
        if (byValue && query.ContainsKey(Parameters.RequestUri)) return OAuthError.InvalidRequest("request and request_uri cannot both be sent");
        // RFC 9126 §4 and RFC 9101 §5: client_id comes with request_uri or request, and must be the client that pushed or signed it.
        if (query[Parameters.ClientId] is not { Count: 1 } clientId || string.IsNullOrEmpty(clientId[0]))
            return OAuthError.InvalidRequest("client_id is required with request_uri and request");

        Dictionary<string, StringValues> parameters;
        byte[]? hash = null;
        if (byReference)
        {
            var found = await pushed.FindAsync(requestUri.ToString(), clientId[0], cancellationToken);
            if (found.Failed) return found.Error;
            (hash, parameters) = found.Value;
        }
        else
        {
            var client = snapshots.Current.Catalog.FindClient(clientId[0]!);
            if (client is null) return OAuthError.InvalidClient("the client is not registered", usedBasic: false);
            var read = await requestObjects.ReadAsync(requestObject.ToString(), client);
            if (read.Failed) return ToClientIfRegistered(read.Error, query, client);
            parameters = read.Value;
            parameters[Parameters.ClientId] = clientId;
        }

        var merged = MergeOuter(query, parameters);
        if (merged.Failed) return merged.Error;
        return new Resolved(new QueryCollection(parameters), hash, Indirect: true);
    }

    /// <summary>Applies the parameters sent beside a pushed or signed request to it (see <see cref="ResolveAsync"/>).</summary>
    private static Outcome<bool> MergeOuter(IEnumerable<KeyValuePair<string, StringValues>> outer, Dictionary<string, StringValues> parameters)
    {
        foreach (var (name, value) in outer)
        {
            switch (name)
            {
                case Parameters.Prompt:
                    var requested = SpaceDelimited.Split(parameters.GetValueOrDefault(Parameters.Prompt).ToString());
                    var kept = SpaceDelimited.Split(value.ToString());
                    if (kept.Any(p => !requested.Contains(p)))
                        return OAuthError.InvalidRequest("prompt beside request_uri or request may only leave out values of the request");
                    if (kept.Length == 0) parameters.Remove(Parameters.Prompt);
                    else parameters[Parameters.Prompt] = value;
                    break;
                case InteractionProofs.Parameter:
                    parameters[InteractionProofs.Parameter] = value;
                    break;
                case Parameters.RedirectUri:
                    if (!string.Equals(value.ToString(), parameters.GetValueOrDefault(Parameters.RedirectUri).ToString(), StringComparison.Ordinal))
                        return OAuthError.InvalidRequest("redirect_uri beside request_uri or request must be the request's own");
                    break;
                default:
                    // RFC 9126 §4 and RFC 9101 §6.3: only the request's own values are used, whatever is sent beside it.
                    break;
            }
        }
        return true;
    }

    /// <summary>RFC 6749 §4.1.2.1: an error goes back to the client only by a redirect URI registered for it.</summary>
    private static OAuthError ToClientIfRegistered(OAuthError error, IQueryCollection query, RegisteredClient client) =>
        query[Parameters.RedirectUri] is { Count: 1 } redirectUri && RedirectUris.IsRegistered(redirectUri.ToString(), client)
            ? error with { Redirect = new ErrorRedirect(redirectUri.ToString(), query[Parameters.State] is { Count: 1 } state ? state.ToString() : null) }
            : error;

    /// <summary>
    /// The query a page returns to for a request that came by reference or request object: client_id, request_uri or
    /// request, the request's redirect_uri (for the page's form-action), its ui_locales (for the pages' language) and what is left of prompt — written empty when
    /// nothing is, so the request's values stay dropped (<see cref="AuthorizationRequestReader.Without"/> reads it).
    /// </summary>
    public static IQueryCollection ByReference(IQueryCollection outer, Resolved resolved)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal)
        {
            [Parameters.ClientId] = outer[Parameters.ClientId],
            [Parameters.RedirectUri] = resolved.Parameters[Parameters.RedirectUri],
            [Parameters.Prompt] = resolved.Parameters[Parameters.Prompt].ToString(),
        };
        if (outer.TryGetValue(Parameters.RequestUri, out var requestUri)) values[Parameters.RequestUri] = requestUri;
        if (outer.TryGetValue(Parameters.Request, out var requestObject)) values[Parameters.Request] = requestObject;
        if (outer.TryGetValue(InteractionProofs.Parameter, out var proof)) values[InteractionProofs.Parameter] = proof;
        // OIDC Core §3.1.2.1: the pages read the user's languages from their returnUrl; the endpoint ignores it beside
        // request_uri or request (only the pushed or signed values count), so it cannot change the request.
        if (resolved.Parameters.TryGetValue(Parameters.UiLocales, out var uiLocales)) values[Parameters.UiLocales] = uiLocales;
        return new QueryCollection(values);
    }
}
