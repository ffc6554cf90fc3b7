using Tessera.Server.Catalog;

namespace Tessera.Server.Admin;

/// <summary>The admin API takes a bearer access token for this server carrying <c>tessera:admin</c>.</summary>
internal sealed class AdminAuthorization(BuiltInApiBearer bearer) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (_, refusal) = await bearer.AuthenticateAsync(context.HttpContext, BuiltInApi.AdminScope);
        return refusal ?? await next(context);
    }
}
