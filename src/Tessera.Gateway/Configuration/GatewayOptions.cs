namespace Tessera.Gateway.Configuration;

/// <summary>The gateway's own settings (section <c>Gateway</c>); routes and clusters are YARP's (section <c>ReverseProxy</c>).</summary>
public sealed record GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Tessera's issuer URL.</summary>
    public string Authority { get; init; } = "";

    /// <summary>Plain-HTTP metadata is accepted only when false and the issuer is on loopback (development, tests).</summary>
    public bool RequireHttpsMetadata { get; init; } = true;

    /// <summary>The gateway's confidential client at Tessera: token exchange, introspection, and the browser sign-in.</summary>
    public string ClientId { get; init; } = "";
    public string ClientSecret { get; init; } = "";

    /// <summary>Audiences of the public APIs whose access tokens callers present to the gateway.</summary>
    public string[] Audiences { get; init; } = [];

    /// <summary>The audience of the internal services: the identity token passed on to them is exchanged for it.</summary>
    public string InternalAudience { get; init; } = "";

    /// <summary>Scopes the browser sign-in asks for besides openid, profile and offline_access.</summary>
    public string[] Scopes { get; init; } = [];

    /// <summary>How long an opaque caller token's introspection answer is reused (the revocation delay at the gateway).</summary>
    public TimeSpan IntrospectionCacheWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An exchanged identity token is reused until this long before it expires.</summary>
    public TimeSpan ExchangeMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a browser session lives without activity.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(8);
}
