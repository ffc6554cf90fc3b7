using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol;
using Tessera.Server.Storage;
using Tessera.Server.Tokens;

namespace Tessera.Server.PersonalAccessTokens;

/// <summary>
/// The PAT API takes a user's bearer access token (RFC 6750 §2.1) for this server (aud = issuer) with the
/// <c>tessera:pats</c> scope. A client's own token (client credentials) has no user behind it and is refused.
/// </summary>
internal sealed class PersonalAccessTokenApiAuthorization(AccessTokenInspector inspector, IssuerUrls urls, ITesseraDbContextFactory databases) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6750 §3.1: a request without credentials gets a bare challenge, no error code.
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera\"";
            return Results.Unauthorized();
        }

        var token = await inspector.InspectAsync(header["Bearer ".Length..].Trim(), http.RequestAborted);
        if (token is null || !token.Audiences.Contains(urls.Issuer))
            return ProtocolResults.Error(OAuthError.InvalidToken("the access token is not valid for this server"));
        if (!SpaceDelimited.Split(token.Scope).Contains(BuiltInApi.PatsScope))
            return ProtocolResults.Error(OAuthError.InsufficientScope("this API needs the tessera:pats scope", BuiltInApi.PatsScope));

        await using var db = databases.Create();
        if (!await db.Users.AnyAsync(u => u.Id == token.Subject, http.RequestAborted))
            return ProtocolResults.Error(OAuthError.InvalidToken("the access token does not belong to a user"));
        http.Items[typeof(InspectedToken)] = token;
        return await next(context);
    }

    /// <summary>The caller's token, as this filter found it.</summary>
    public static InspectedToken Caller(HttpContext context) => (InspectedToken)context.Items[typeof(InspectedToken)]!;
}
