namespace Tessera.AspNetCore;

/// <summary>Names shared by the library, the gateway and the services behind it — defined once.</summary>
public static class TesseraDefaults
{
    public const string AuthenticationScheme = "Tessera";

    /// <summary>The header that carries the short-lived identity token from the gateway to the services behind it.</summary>
    public const string IdentityHeader = "Tessera-Identity";

    /// <summary>RFC 9068 §2.1: the JOSE header "typ" of a JWT access token.</summary>
    public const string AccessTokenType = Tessera.Protocol.JwtTypes.AccessToken;

    /// <summary>The claim that carries the space-separated scopes (RFC 9068 §2.2.3, RFC 7662 §2.2).</summary>
    public const string ScopeClaim = "scope";

    /// <summary>RFC 9068 §2.2.1 / OIDC Core §2: the authentication context class of the user's sign-in.</summary>
    public const string AcrClaim = "acr";

    public const string SubjectClaim = "sub";

    /// <summary>
    /// The user's roles, one claim per role, in a token whose API asked Tessera for them (<c>"claims": ["roles"]</c>): the
    /// role claim type of every identity the library makes, so <c>IsInRole</c>, <c>RequireRole</c> and
    /// <c>[Authorize(Roles = …)]</c> read it.
    /// </summary>
    public const string RoleClaim = "roles";
    public const string ClientIdClaim = "client_id";
}
