using Tessera.Server.Catalog;
using Tessera.Server.Tokens.AccessTokens;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// Who introspection may tell about a token (RFC 7662 §4: the server decides which callers learn what): the client
/// it was issued to, and the resource servers of its audiences — clients whose <c>introspects</c> names one of the
/// token's APIs. A PAT's audiences are the APIs of its scopes, so the same rule covers it.
/// </summary>
internal static class IntrospectionAudience
{
    public static bool MayIntrospect(RegisteredClient caller, InspectedToken token, ClientCatalog catalog)
    {
        if (token.ClientId == caller.ClientId) return true;
        if (caller.Introspects.Count == 0) return false;
        foreach (var audience in token.Audiences)
        {
            if (catalog.ApisByAudience.TryGetValue(audience, out var api) && caller.Introspects.Contains(api.Name)) return true;
        }
        return false;
    }
}
