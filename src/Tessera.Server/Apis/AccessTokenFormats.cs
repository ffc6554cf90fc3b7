namespace Tessera.Server.Apis;

public static class AccessTokenFormats
{
    /// <summary>RFC 9068 JWT, validated locally by the API against the JWKS.</summary>
    public const string Jwt = "jwt";

    /// <summary>A random handle; the API asks the server through introspection (RFC 7662).</summary>
    public const string Opaque = "opaque";

    /// <summary>Not an API setting: how an inspected personal access token reports its format.</summary>
    public const string PersonalAccessToken = "pat";

    public static bool IsKnown(string value) => value is Jwt or Opaque;
}
