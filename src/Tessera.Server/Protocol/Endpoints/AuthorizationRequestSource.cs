using Microsoft.Extensions.Primitives;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens.PushedAuthorizations;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// Where an authorization request's parameters come from: the query itself, or — RFC 9126 §4 — the request a client
/// pushed, named by <c>request_uri</c>. Shared by the authorize endpoint and the consent page.
/// </summary>
internal sealed class AuthorizationRequestSource(PushedAuthorizationStore pushed)
{
    /// <summary>The parameters the request stands for; <paramref name="PushedHash"/> names the pushed request it came by.</summary>
    public sealed record Resolved(IQueryCollection Parameters, byte[]? PushedHash);

    /// <summary>
    /// The request behind <paramref name="query"/>. By reference, only the pushed parameters count (RFC 9126 §4), with
    /// three exceptions written by this server's own pages: prompt may drop values the pushed request has (a sign-in or
    /// consent already given), redirect_uri may repeat the pushed one (so a page can allow it in form-action), and the
    /// consent page's interaction proof rides along. A refusal goes to the error page: no redirect URI is verified yet.
    /// </summary>
    public async Task<Outcome<Resolved>> ResolveAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        // Not a pushed request's: a request_uri by reference to elsewhere (OIDC Core §6.2) stays unsupported, refused by the
        // reader once the redirect URI is verified.
        if (!query.TryGetValue(Parameters.RequestUri, out var requestUri)
            || !requestUri.ToString().StartsWith(PushedAuthorizationStore.RequestUriPrefix, StringComparison.Ordinal))
            return new Resolved(query, null);
        // RFC 6749 §3.1: parameters must not be repeated.
        if (query.Any(p => p.Value.Count > 1)) return OAuthError.InvalidRequest("a parameter of the authorization request is repeated");
        // RFC 9126 §4: client_id comes with request_uri, and must be the client that pushed it.
        if (query[Parameters.ClientId] is not { Count: 1 } clientId || string.IsNullOrEmpty(clientId[0]))
            return OAuthError.InvalidRequest("client_id is required with request_uri");

        var found = await pushed.FindAsync(requestUri.ToString(), clientId[0], cancellationToken);
        if (found.Failed) return found.Error;
        var parameters = new Dictionary<string, StringValues>(found.Value.Parameters, StringComparer.Ordinal);

        if (query.TryGetValue(Parameters.Prompt, out var outerPrompt))
        {
            var pushedPrompt = SpaceDelimited.Split(parameters.GetValueOrDefault(Parameters.Prompt).ToString());
            var kept = SpaceDelimited.Split(outerPrompt.ToString());
            if (kept.Any(p => !pushedPrompt.Contains(p)))
                return OAuthError.InvalidRequest("prompt beside request_uri may only leave out values of the pushed request");
            if (kept.Length == 0) parameters.Remove(Parameters.Prompt);
            else parameters[Parameters.Prompt] = outerPrompt;
        }
        if (query.TryGetValue(Parameters.RedirectUri, out var outerRedirect)
            && !string.Equals(outerRedirect.ToString(), parameters.GetValueOrDefault(Parameters.RedirectUri).ToString(), StringComparison.Ordinal))
            return OAuthError.InvalidRequest("redirect_uri beside request_uri must be the pushed one");
        if (query.TryGetValue(InteractionProofs.Parameter, out var proof)) parameters[InteractionProofs.Parameter] = proof;
        return new Resolved(new QueryCollection(parameters), found.Value.Hash);
    }

    /// <summary>
    /// The query a page returns to for a request that came by reference: client_id, request_uri, the pushed redirect_uri
    /// (for the page's form-action) and what is left of prompt — written empty when nothing is, so the pushed values stay
    /// dropped (<see cref="AuthorizationRequestReader.Without"/> reads it).
    /// </summary>
    public static IQueryCollection ByReference(IQueryCollection outer, Resolved resolved)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal)
        {
            [Parameters.ClientId] = outer[Parameters.ClientId],
            [Parameters.RequestUri] = outer[Parameters.RequestUri],
            [Parameters.RedirectUri] = resolved.Parameters[Parameters.RedirectUri],
            [Parameters.Prompt] = resolved.Parameters[Parameters.Prompt].ToString(),
        };
        if (outer.TryGetValue(InteractionProofs.Parameter, out var proof)) values[InteractionProofs.Parameter] = proof;
        return new QueryCollection(values);
    }
}
