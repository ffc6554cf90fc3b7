using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.ProtectedResource;

namespace Tessera.AspNetCore;

public static class ProtectedResourceMetadataEndpoint
{
    /// <summary>The RFC 9728 §3 well-known suffix.</summary>
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    /// <summary>
    /// RFC 9728: serves this API's protected-resource metadata at <c>/.well-known/oauth-protected-resource</c>, followed
    /// by the resource identifier's path when it has one (§3.1), so a client that met a 401 finds the authorization server
    /// on its own; from then on every 401 of the scheme names the document (<c>resource_metadata</c>, §5.1).
    /// </summary>
    public static IEndpointConventionBuilder MapTesseraProtectedResourceMetadata(this IEndpointRouteBuilder endpoints,
        string scheme = TesseraDefaults.AuthenticationScheme)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptionsMonitor<TesseraOptions>>().Get(scheme);
        var resource = options.ProtectedResource.Resource ?? options.Audience
            ?? throw new InvalidOperationException($"the {scheme} scheme has no Audience nor ProtectedResource.Resource: RFC 9728 metadata names the resource");
        return endpoints.MapTesseraProtectedResourceMetadata(scheme, resource);
    }

    /// <summary>
    /// The document of one resource of a scheme that accepts several (a gateway in front of several APIs: one call per
    /// public API). A 401 names the document whose resource path the request's path is under.
    /// </summary>
    public static IEndpointConventionBuilder MapTesseraProtectedResourceMetadata(this IEndpointRouteBuilder endpoints, string scheme, string resource)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptionsMonitor<TesseraOptions>>().Get(scheme);
        var path = PathFor(resource);
        var resourcePath = Uri.TryCreate(resource, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/') : "";
        if (!endpoints.ServiceProvider.GetRequiredService<MappedMetadataDocuments>().Add(scheme, path, resourcePath))
            throw new InvalidOperationException($"the {scheme} scheme already publishes a document at {path}: RFC 9728 §3.1 gives each resource path one");
        return endpoints.MapGet(path, () => Results.Json(Document(options, resource)));
    }

    /// <summary>RFC 9728 §3.1: the well-known suffix between the host and the resource identifier's path.</summary>
    internal static string PathFor(string resource) =>
        Uri.TryCreate(resource, UriKind.Absolute, out var uri) && uri.AbsolutePath.TrimEnd('/') is { Length: > 0 } resourcePath
            ? WellKnownPath + resourcePath
            : WellKnownPath;

    private static Dictionary<string, object> Document(TesseraOptions options, string resource)
    {
        // RFC 9728 §2: resource is required; the rest says how to get and present a token for it.
        var document = new Dictionary<string, object>
        {
            ["resource"] = resource,
            ["authorization_servers"] = new[] { options.Authority! },
            // RFC 6750 §2.1 only: a token in a form body or the query string is not read (TesseraHandler).
            ["bearer_methods_supported"] = new[] { "header" },
            // RFC 9728 §2 and RFC 9449 §5.1: the algorithms this API accepts on DPoP proofs.
            ["dpop_signing_alg_values_supported"] = options.Dpop.Algorithms.ToArray(),
        };
        if (options.ProtectedResource.ScopesSupported.Count > 0) document["scopes_supported"] = options.ProtectedResource.ScopesSupported.ToArray();
        if (options.ProtectedResource.ResourceName is { } name) document["resource_name"] = name;
        return document;
    }
}
