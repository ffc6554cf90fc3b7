using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authorization;

namespace Tessera.Gateway.Routing;

/// <summary>Builds the policies the route filter names: the caller's scheme, an authenticated user, the scopes.</summary>
internal sealed class RouteScopePolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _built = new(StringComparer.Ordinal);

    /// <summary>The policies never change, so the authorization middleware may cache each endpoint's combined policy.</summary>
    public override bool AllowsCachingPolicies => true;

    public override Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName == RouteScopes.AuthenticatedPolicy || policyName.StartsWith(RouteScopes.PolicyPrefix, StringComparison.Ordinal))
            return Task.FromResult<AuthorizationPolicy?>(_built.GetOrAdd(policyName, Build));
        return base.GetPolicyAsync(policyName);
    }

    private static AuthorizationPolicy Build(string policyName)
    {
        // No scheme named: the authentication middleware has already authenticated the request with the default
        // scheme (bearer or session, picked per request); naming it would authenticate again and merge principals.
        var builder = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
        if (policyName.StartsWith(RouteScopes.PolicyPrefix, StringComparison.Ordinal))
            builder.RequireScope(policyName[RouteScopes.PolicyPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return builder.Build();
    }
}
