using System.Collections.Frozen;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Catalog;

/// <summary>A client as the token path needs it: parsed once when the catalog loads, immutable.</summary>
public sealed record RegisteredClient(
    string ClientId,
    byte[]? SecretHash,
    IReadOnlyList<SecurityKey> AssertionKeys,
    FrozenSet<string> GrantTypes,
    FrozenSet<string> Scopes)
{
    public bool HasSecret => SecretHash is not null;

    /// <summary>RFC 7591 §2 jwks_uri: the client's keys are fetched from here (IClientKeySets), not held in <see cref="AssertionKeys"/>.</summary>
    public string? JwksUri { get; init; }

    /// <summary>Whether the client can prove itself with a signature (private_key_jwt, request objects).</summary>
    public bool HasKeys => AssertionKeys.Count > 0 || JwksUri is not null;

    public string? DisplayName { get; init; }

    /// <summary>RFC 7591 §2 logo_uri, checked https (ClientDisplayUris): the consent page shows it and allows its origin in img-src.</summary>
    public string? LogoUri { get; init; }

    /// <summary>RFC 7591 §2 client_uri: the consent page links the client's name to it.</summary>
    public string? ClientUri { get; init; }

    /// <summary>Registered redirect URIs, compared exactly (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3).</summary>
    public FrozenSet<string> RedirectUris { get; init; } = FrozenSet<string>.Empty;
    public FrozenSet<string> PostLogoutRedirectUris { get; init; } = FrozenSet<string>.Empty;

    /// <summary>The origins browsers may call from (CORS) when the client lists them; null: derived from the redirect URIs.</summary>
    public FrozenSet<string>? AllowedCorsOrigins { get; init; }

    /// <summary>RFC 6749 §2.1: no secret; authenticates with client_id alone where the grant allows it, PKCE required.</summary>
    public bool IsPublic { get; init; }
    public bool RequireConsent { get; init; } = true;

    /// <summary>Unix seconds; a token issued before it was issued to a deleted client of the same id.</summary>
    public long RegisteredAt { get; init; }

    /// <summary>Names of the APIs this client serves: RFC 7662 introspection answers it about tokens for them.</summary>
    public FrozenSet<string> Introspects { get; init; } = FrozenSet<string>.Empty;

    /// <summary>The authorization request must carry a PKCE challenge: every public client, and confidential ones unless opted out.</summary>
    public bool RequirePkce { get; init; } = true;

    /// <summary>Whether one access token may be for several APIs (an <c>aud</c> array); off unless the operator allows it.</summary>
    public bool MultiAudienceTokens { get; init; }

    /// <summary>The user claims this client's ID tokens carry (<c>roles</c>, user attribute names); empty for none.</summary>
    public FrozenSet<string> IdTokenClaims { get; init; } = FrozenSet<string>.Empty;

    /// <summary>An administrative client acting for users: the admin API takes its users' tokens (their role-held admin permissions).</summary>
    public bool Administration { get; init; }

    /// <summary>Sign-ins for this client need a second factor (step-up for a session without one).</summary>
    public bool RequireMfa { get; init; }

    /// <summary>
    /// RFC 9449 §5.2 dpop_bound_access_tokens: every token request of this client carries a DPoP proof, so all its access
    /// tokens are bound to a key it holds.
    /// </summary>
    public bool RequireDpop { get; init; }

    /// <summary>RFC 7591: the client registered itself; its name is the client's word only (the consent page says so).</summary>
    public bool IsDynamic { get; init; }

    /// <summary>RFC 9126 §6 require_pushed_authorization_requests: its authorization requests come only through /connect/par.</summary>
    public bool RequirePushedAuthorizationRequests { get; init; }

    /// <summary>OIDC Back-Channel Logout 1.0: where this client hears that a session it received tokens in has ended.</summary>
    public string? BackchannelLogoutUri { get; init; }
}
