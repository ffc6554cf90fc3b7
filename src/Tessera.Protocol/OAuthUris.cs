namespace Tessera.Protocol;

/// <summary>Grant types that are URIs (RFC 6749 §4.5 extension grants).</summary>
public static class GrantTypeUris
{
    /// <summary>RFC 8628 §3.4.</summary>
    public const string DeviceCode = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>RFC 8693 §2.1.</summary>
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
}

/// <summary>RFC 8693 §3: token type identifiers.</summary>
public static class TokenTypeUris
{
    public const string AccessToken = "urn:ietf:params:oauth:token-type:access_token";
    public const string IdToken = "urn:ietf:params:oauth:token-type:id_token";
    public const string Jwt = "urn:ietf:params:oauth:token-type:jwt";
}
