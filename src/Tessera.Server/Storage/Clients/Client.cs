namespace Tessera.Server.Storage.Clients;

/// <summary>A registered OAuth client (RFC 6749 §2).</summary>
public sealed class Client
{
    public int Id { get; set; }
    public required string ClientId { get; set; }
    public string? DisplayName { get; set; }

    /// <summary>RFC 7591 §2 logo_uri: an https image the consent page shows beside the name (its origin is allowed by img-src there only).</summary>
    public string? LogoUri { get; set; }

    /// <summary>RFC 7591 §2 client_uri: the application's home page, linked from the consent page.</summary>
    public string? ClientUri { get; set; }

    /// <summary>HMAC-SHA-256 of the secret under the server's client-secret key; null for clients without a secret.</summary>
    public byte[]? SecretHash { get; set; }

    /// <summary>The client's public keys for <c>private_key_jwt</c> (RFC 7523), as a JWK Set document.</summary>
    public string? JsonWebKeySet { get; set; }

    /// <summary>RFC 7591 §2 jwks_uri: where the client publishes those keys instead (fetched like a metadata document, cached).</summary>
    public string? JwksUri { get; set; }

    /// <summary>Space-delimited grant types the client may use.</summary>
    public required string GrantTypes { get; set; }

    /// <summary>Space-delimited scopes the client may request.</summary>
    public required string Scopes { get; set; }

    /// <summary>Space-delimited redirect URIs (RFC 6749 §3.1.2); the import refuses URIs with spaces.</summary>
    public string RedirectUris { get; set; } = "";

    /// <summary>Space-delimited post-logout redirect URIs (OIDC RP-Initiated Logout §3).</summary>
    public string PostLogoutRedirectUris { get; set; } = "";

    /// <summary>RFC 6749 §2.1: a public client cannot keep a secret; it authenticates with client_id alone, PKCE required.</summary>
    public bool IsPublic { get; set; }

    /// <summary>Whether users are asked to consent before the client gets tokens.</summary>
    public bool RequireConsent { get; set; } = true;

    /// <summary>
    /// When this client id was registered (Unix seconds; 0 for clients older than the column). Access tokens issued
    /// before it belong to a deleted client of the same id.
    /// </summary>
    public long RegisteredAt { get; set; }

    /// <summary>
    /// Space-delimited names of the APIs this client serves as a resource server: introspection (RFC 7662) tells it
    /// about tokens for those APIs besides its own tokens.
    /// </summary>
    public string Introspects { get; set; } = "";

    /// <summary>OAuth 2.1 (RFC 9700 §2.1.1): every authorization request carries a PKCE challenge unless an operator opts a confidential client out.</summary>
    public bool RequirePkce { get; set; } = true;

    /// <summary>RFC 9700 §2.3: one access token is for one API unless the operator allows this client tokens for several.</summary>
    public bool MultiAudienceTokens { get; set; }

    /// <summary>Space-delimited user claims this client's ID tokens carry: <c>roles</c> and user attribute names.</summary>
    public string IdTokenClaims { get; set; } = "";

    /// <summary>
    /// An administrative client that acts for users: a user's token from it may carry the admin permissions the user
    /// holds through roles (never more), and the admin API takes such a token.
    /// </summary>
    public bool Administration { get; set; }

    /// <summary>Every sign-in for this client uses a second factor: a session without one is asked for it (step-up).</summary>
    public bool RequireMfa { get; set; }

    /// <summary>Space-delimited CORS origins; null: a public client's redirect-URI origins (none for a confidential one).</summary>
    public string? AllowedCorsOrigins { get; set; }

    /// <summary>RFC 9449 §5.2: the client's token requests must carry a DPoP proof.</summary>
    public bool RequireDpop { get; set; }

    /// <summary>"dynamic" for a client that registered itself (RFC 7591); null for one the operator configured.</summary>
    public string? Origin { get; set; }

    /// <summary>RFC 7592 §3: SHA-256 of the registration access token that reads, updates and deletes this dynamic client.</summary>
    public byte[]? RegistrationTokenHash { get; set; }

    /// <summary>RFC 7591 §2 metadata Tessera keeps only to answer with (client_uri, logo_uri, software_id, …), as JSON.</summary>
    public string? RegistrationMetadata { get; set; }

    /// <summary>RFC 9126 §6: authorization requests only by reference to a pushed request.</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }

    /// <summary>OIDC Back-Channel Logout 1.0 §2.2: where logout tokens for this client's sessions are POSTed; null for none.</summary>
    public string? BackchannelLogoutUri { get; set; }

    /// <summary>§2.2 backchannel_logout_session_required, as registered (every logout token carries sid anyway).</summary>
    public bool BackchannelLogoutSessionRequired { get; set; }
}
