using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Import;

/// <summary>The declarative import file: API resources, clients and users, created or updated at start.</summary>
public sealed record ImportDocument
{
    [JsonPropertyName("$schema")] public string? Schema { get; init; }
    public List<ImportedApi>? ApiResources { get; init; }
    public List<ImportedClient>? Clients { get; init; }
    public List<ImportedUser>? Users { get; init; }

    /// <summary>Roles: named sets of permissions (scope names) that users hold.</summary>
    public List<ImportedRole>? Roles { get; init; }
}

public sealed record ImportedRole
{
    public string? Name { get; init; }
    public string? Description { get; init; }

    /// <summary>Scope names of any API; for an API with <c>userAccess: rbac</c> only users holding them get them.</summary>
    public List<string>? Permissions { get; init; }
}

public sealed record ImportedApi
{
    public string? Name { get; init; }
    public string? Audience { get; init; }

    /// <summary>The scopes this API owns: names, or objects with a name and per-language display names.</summary>
    public List<ImportedScope>? Scopes { get; init; }

    public string? AccessTokenFormat { get; init; }
    public string? SigningAlgorithm { get; init; }
    public TimeSpan? AccessTokenLifetime { get; init; }

    /// <summary>Whether users may put this API's scopes on personal access tokens (default false).</summary>
    public bool? PersonalAccessTokens { get; init; }

    /// <summary>Who may hold this API's scopes in a user's token: "consent" (default) or "rbac" (only through a role).</summary>
    public string? UserAccess { get; init; }

    /// <summary>User claims this API's access tokens and introspection answers carry: "roles" and user attribute names.</summary>
    public List<string>? Claims { get; init; }
}

public sealed record ImportedClient
{
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? DisplayName { get; init; }

    /// <summary>RFC 7591 §2 logo_uri: an https image the consent page shows beside the name.</summary>
    public string? LogoUri { get; init; }

    /// <summary>RFC 7591 §2 client_uri: the application's https home page, linked from its name on the consent page.</summary>
    public string? ClientUri { get; init; }

    public List<string>? GrantTypes { get; init; }
    public List<string>? Scopes { get; init; }

    /// <summary>Public keys for private_key_jwt, as a JWK Set (RFC 7517 §5).</summary>
    public JsonElement? Jwks { get; init; }

    /// <summary>RFC 7591 §2: an https URL of the client's JWK Set, instead of <see cref="Jwks"/> (the client rotates keys there).</summary>
    public string? JwksUri { get; init; }

    /// <summary>RFC 6749 §3.1.2: where the authorization endpoint may send the user back, matched exactly.</summary>
    public List<string>? RedirectUris { get; init; }

    /// <summary>OIDC RP-Initiated Logout §3: where the end-session endpoint may send the user after signing out.</summary>
    public List<string>? PostLogoutRedirectUris { get; init; }

    /// <summary>
    /// The web origins browsers may call the token, revocation, UserInfo, JWKS and discovery endpoints from for this client
    /// (CORS). Unset: a public client's redirect-URI origins, none for a confidential client; an empty list: none.
    /// </summary>
    public List<string>? AllowedCorsOrigins { get; init; }

    /// <summary>RFC 6749 §2.1: a public client has no secret (a browser or native app); PKCE is required.</summary>
    public bool? Public { get; init; }

    /// <summary>Whether the user is asked to approve the client's scopes (default true; false for first-party clients).</summary>
    public bool? RequireConsent { get; init; }

    /// <summary>RFC 7662: names of the APIs this client serves; introspection answers it about their tokens, not only its own.</summary>
    public List<string>? Introspects { get; init; }

    /// <summary>RFC 9700 §2.1.1: PKCE on every authorization request (default true); false only for a confidential client that cannot send it.</summary>
    public bool? RequirePkce { get; init; }

    /// <summary>RFC 9700 §2.3: whether one access token may name several APIs (default false: one API per token).</summary>
    public bool? MultiAudienceTokens { get; init; }

    /// <summary>User claims this client's ID tokens carry: "roles" (all the user's roles) and user attribute names.</summary>
    public List<string>? IdTokenClaims { get; init; }

    /// <summary>
    /// An administrative client that signs users in (an admin console, the CLI): it may list tessera:admin scopes beside
    /// user grant types, and a user gets of them only the permissions their roles carry (default false).
    /// </summary>
    public bool? Administration { get; init; }

    /// <summary>Users sign in to this client with a second factor (default false); a session without one is asked for it.</summary>
    public bool? RequireMfa { get; init; }

    /// <summary>RFC 9449 §5.2 dpop_bound_access_tokens: token requests without a DPoP proof are refused (default false).</summary>
    public bool? RequireDpop { get; init; }

    /// <summary>Shown by the admin API only: "dynamic" for a client that registered itself (RFC 7591); never read from an import.</summary>
    public string? Origin { get; init; }

    /// <summary>RFC 9126 §6: the client's authorization requests must be pushed to /connect/par first (default false).</summary>
    public bool? RequirePushedAuthorizationRequests { get; init; }

    /// <summary>
    /// OIDC Back-Channel Logout 1.0 §2.2: where Tessera POSTs a logout token when a session this client received tokens
    /// in ends. https, or http for a confidential client (the specification's allowance).
    /// </summary>
    public string? BackchannelLogoutUri { get; init; }

    /// <summary>§2.2: the client needs <c>sid</c> in logout tokens (Tessera always sends it for a session; default false).</summary>
    public bool? BackchannelLogoutSessionRequired { get; init; }
}

public sealed record ImportedUser
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Email { get; init; }
    public bool? EmailVerified { get; init; }
    public string? Name { get; init; }

    /// <summary>The roles the user holds: exactly these after the import; left as they are when absent.</summary>
    public List<string>? Roles { get; init; }

    /// <summary>Custom attributes, a JSON object; left as they are when absent.</summary>
    public JsonElement? Attributes { get; init; }

    /// <summary>The user must sign in with a second factor (setting one up at the next sign-in); left as it is when absent.</summary>
    public bool? RequireMfa { get; init; }
}
