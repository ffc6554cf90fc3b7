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
