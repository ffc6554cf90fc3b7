namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:Registration</c> section: dynamic client registration (RFC 7591) and management (RFC 7592).</summary>
public sealed class RegistrationOptions
{
    /// <summary>Off unless the operator says so: /connect/register answers 404 and discovery names no registration_endpoint.</summary>
    public bool Enabled { get; set; }

    /// <summary>RFC 7591 §3: when set, registering needs it as a bearer token (401 otherwise). Keep it in a secret store.</summary>
    public string? InitialAccessToken { get; set; }

    /// <summary>The scopes a registered client may hold: OpenID's by default; an API's only when listed. Never tessera:*.</summary>
    public List<string> AllowedScopes { get; set; } = ["openid", "profile", "email", "offline_access"];

    /// <summary>The grant types a registered client may use.</summary>
    public List<string> AllowedGrantTypes { get; set; } = ["authorization_code", "refresh_token"];
}
