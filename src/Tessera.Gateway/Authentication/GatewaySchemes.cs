namespace Tessera.Gateway.Authentication;

/// <summary>The gateway's authentication schemes, named once.</summary>
public static class GatewaySchemes
{
    /// <summary>Picks the caller's scheme per request: a bearer token if one is sent, else the session cookie.</summary>
    public const string Caller = "Gateway";
    public const string Bearer = Tessera.AspNetCore.TesseraDefaults.AuthenticationScheme;
    public const string Cookie = "Gateway.Session";
    public const string OpenIdConnect = "Gateway.OpenIdConnect";
    public const string CookieName = "tessera.gateway";
}
