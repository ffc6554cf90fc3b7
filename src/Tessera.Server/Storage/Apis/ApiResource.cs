namespace Tessera.Server.Storage.Apis;

/// <summary>An API that accepts Tessera's access tokens; it owns a set of scopes and chooses the token format.</summary>
public sealed class ApiResource
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The <c>aud</c> of its tokens, and the value a client names with RFC 8707 <c>resource</c>.</summary>
    public required string Audience { get; set; }

    /// <summary>Space-delimited scope names owned by this API.</summary>
    public required string Scopes { get; set; }

    /// <summary>
    /// What each scope lets an application do, per UI culture, as JSON <c>{"scope": {"en": "…", "zh-CN": "…"}}</c>; the
    /// consent and token pages fall back to Tessera's own sentence for a scope or culture not listed. Null for none.
    /// </summary>
    public string? ScopeDisplayNames { get; set; }

    public required string AccessTokenFormat { get; set; }
    public required string SigningAlgorithm { get; set; }
    public int AccessTokenLifetimeSeconds { get; set; }

    /// <summary>
    /// Whether users may put this API's scopes on personal access tokens (off by default): a PAT is a long-lived user
    /// credential outside any client's consent, so an API accepts one only when it says so.
    /// </summary>
    public bool PersonalAccessTokens { get; set; }

    /// <summary>
    /// Who may hold this API's scopes in a user's token: <c>consent</c> (any user who consents, the default) or <c>rbac</c>
    /// (only users holding the scope through a role).
    /// </summary>
    public string UserAccess { get; set; } = "consent";

    /// <summary>Space-delimited user claims this API's tokens carry: <c>roles</c> and user attribute names.</summary>
    public string TokenClaims { get; set; } = "";

    /// <summary>For HS256/384/512 APIs only: the API's own shared secret, encrypted with Data Protection.</summary>
    public string? ProtectedSigningSecret { get; set; }
}
