using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authorization;
using Tessera.Gateway.Authentication;
using Yarp.ReverseProxy.Configuration;

namespace Tessera.Gateway.Routing;

/// <summary>
/// Each YARP route names the scopes it requires in its metadata (<c>"Metadata": { "Tessera.Scopes": "message" }</c>,
/// space-separated, all required). The filter turns them into the route's authorization policy; a route without
/// scopes still requires an authenticated caller.
/// </summary>
internal sealed class RouteScopes : IProxyConfigFilter
{
    public const string MetadataKey = "Tessera.Scopes";
    public const string PolicyPrefix = "Tessera.Scopes:";
    public const string AuthenticatedPolicy = "Tessera.Authenticated";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => ValueTask.FromResult(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        if (route.AuthorizationPolicy is not null)
            throw new InvalidOperationException($"route '{route.RouteId}': set '{MetadataKey}' in Metadata instead of AuthorizationPolicy (every route needs a caller the gateway can exchange a token for)");
        var scopes = route.Metadata?.GetValueOrDefault(MetadataKey)?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var policy = scopes.Length == 0 ? AuthenticatedPolicy : PolicyPrefix + string.Join(' ', scopes.Order(StringComparer.Ordinal));
        return ValueTask.FromResult(route with { AuthorizationPolicy = policy });
    }
}

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
