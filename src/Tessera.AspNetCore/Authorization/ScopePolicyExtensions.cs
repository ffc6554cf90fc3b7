using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Authorization;

public static class ScopePolicyExtensions
{
    /// <summary>In a policy: an authenticated caller whose token carries every one of <paramref name="scopes"/>.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes) =>
        builder.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scopes));

    /// <summary>On a minimal API endpoint or group: <c>app.MapGet(...).RequireScope("message")</c>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireScope(scopes));
}
