using Microsoft.Extensions.Options;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Configuration;

/// <summary>Endpoint URLs derived from the issuer, which may have a path (<c>https://id.example.com/oidc</c>).</summary>
public sealed class IssuerUrls(IOptions<TesseraOptions> options)
{
    public string Issuer { get; } = options.Value.Issuer;

    /// <summary>The issuer's path without a trailing slash: the routes live under it.</summary>
    public string PathBase { get; } = new Uri(options.Value.Issuer).AbsolutePath.TrimEnd('/');

    /// <summary>The issuer's scheme, host and port: with a request's path, the URL a client names that request by (DPoP's htu).</summary>
    public string Origin { get; } = new Uri(options.Value.Issuer).GetLeftPart(UriPartial.Authority);

    public string Url(string path) => Issuer.TrimEnd('/') + path;

    public string Token => Url(EndpointPaths.Token);
    public string Introspection => Url(EndpointPaths.Introspection);
    public string Revocation => Url(EndpointPaths.Revocation);
    public string Jwks => Url(EndpointPaths.Jwks);
    public string Authorize => Url(EndpointPaths.Authorize);
    public string UserInfo => Url(EndpointPaths.UserInfo);
    public string DeviceAuthorization => Url(EndpointPaths.DeviceAuthorization);
    public string PushedAuthorization => Url(EndpointPaths.PushedAuthorization);
    public string EndSession => Url(EndpointPaths.EndSession);

    /// <summary>RFC 8628 §3.2: the verification URI, the page where the user enters the code.</summary>
    public string Device => Url(PagePaths.Device);
}
