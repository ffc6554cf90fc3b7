namespace Tessera.Server.Vocabulary;

/// <summary>Well-known paths, relative to the issuer.</summary>
public static class EndpointPaths
{
    public const string Token = "/connect/token";
    public const string Authorize = "/connect/authorize";
    public const string UserInfo = "/connect/userinfo";
    public const string Introspection = "/connect/introspect";
    public const string Revocation = "/connect/revoke";
    public const string DeviceAuthorization = "/connect/device";

    /// <summary>RFC 9126 §2: the pushed authorization request endpoint.</summary>
    public const string PushedAuthorization = "/connect/par";

    /// <summary>RFC 7591 §3: dynamic client registration; RFC 7592 manages a client at this path + "/" + its id.</summary>
    public const string Registration = "/connect/register";
    public const string EndSession = "/connect/endsession";
    public const string Jwks = "/.well-known/jwks";
    public const string OpenIdConfiguration = "/.well-known/openid-configuration";
    public const string OAuthAuthorizationServer = "/.well-known/oauth-authorization-server";
    public const string Admin = "/admin";
    public const string PersonalAccessTokens = "/api/pats";
    public const string OpenApi = "/openapi/v1.json";
}
