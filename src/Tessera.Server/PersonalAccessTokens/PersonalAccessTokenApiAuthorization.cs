using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.PersonalAccessTokens;

/// <summary>
/// The PAT API takes a user's bearer access token (RFC 6750 §2.1) for this server (aud = issuer) with the
/// <c>tessera:pats</c> scope. A client's own token (client credentials) has no user behind it and is refused.
/// </summary>
internal sealed class PersonalAccessTokenApiAuthorization(BuiltInApiBearer bearer, ITesseraDbContextFactory databases) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (token, refusal) = await bearer.AuthenticateAsync(http, BuiltInApi.PatsScope);
        if (token is null) return refusal;

        await using var db = databases.Create();
        if (!await db.Users.AnyAsync(u => u.Id == token.Subject, http.RequestAborted))
            return ProtocolResults.Error(OAuthError.InvalidToken("the access token does not belong to a user"));
        http.Items[typeof(InspectedToken)] = token;
        return await next(context);
    }

    /// <summary>The caller's token, as this filter found it.</summary>
    public static InspectedToken Caller(HttpContext context) => (InspectedToken)context.Items[typeof(InspectedToken)]!;
}
