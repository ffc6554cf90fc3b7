using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Authorization;

public static class RolePolicyExtensions
{
    /// <summary>
    /// On a minimal API endpoint or group: <c>app.MapPut(...).RequireRole("editor")</c>, an authenticated caller holding one
    /// of <paramref name="roles"/> — read from the <c>roles</c> claim of JWTs and introspection answers alike, present when
    /// the API's registration asks Tessera for <c>"claims": ["roles"]</c>. In a policy, ASP.NET Core's own
    /// <see cref="AuthorizationPolicyBuilder.RequireRole(string[])"/> reads the same claim.
    /// </summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(roles));
}
