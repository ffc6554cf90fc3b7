using Tessera.Server.Catalog;
using Tessera.Server.Protocol;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// The admin API takes a bearer access token for this server carrying <c>tessera:admin</c>, issued to an administrative
/// client for itself (client credentials: RFC 9068 §2.2 sub = client_id), never one issued for a user.
/// </summary>
internal sealed class AdminAuthorization(BuiltInApiBearer bearer) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (caller, refusal) = await bearer.AuthenticateAsync(context.HttpContext, BuiltInApi.AdminScope);
        if (caller is null) return refusal;
        // The import refuses tessera:admin on clients that act for users; this holds even for a database edited by hand.
        if (caller.Subject != caller.ClientId)
            return ProtocolResults.Error(OAuthError.InvalidToken("the admin API takes an administrative client's own token, not one issued for a user"));
        return await next(context);
    }
}
