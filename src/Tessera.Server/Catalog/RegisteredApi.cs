using System.Collections.Frozen;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Catalog;

/// <summary>An API resource as the token path needs it.</summary>
public sealed record RegisteredApi(
    string Name,
    string Audience,
    FrozenSet<string> Scopes,
    string AccessTokenFormat,
    string SigningAlgorithm,
    TimeSpan AccessTokenLifetime,
    SymmetricSecurityKey? SharedKey)
{
    /// <summary>True for HS256/384/512 APIs, whose tokens are signed with the API's own secret, not a published key.</summary>
    public bool UsesSharedSecret => SharedKey is not null;

    /// <summary>The API opted in to personal access tokens: only then may a PAT carry its scopes.</summary>
    public bool AcceptsPersonalAccessTokens { get; init; }

    /// <summary><c>userAccess: rbac</c>: a user's token carries this API's scopes only as far as the user's roles hold them.</summary>
    public bool RequiresRoles { get; init; }

    /// <summary>The user claims this API's tokens carry (<c>roles</c>, user attribute names); empty for none.</summary>
    public FrozenSet<string> TokenClaims { get; init; } = FrozenSet<string>.Empty;

    /// <summary>The import's words for each scope, by UI culture (scope → culture → text); empty for none.</summary>
    public FrozenDictionary<string, FrozenDictionary<string, string>> ScopeDisplayNames { get; init; } =
        FrozenDictionary<string, FrozenDictionary<string, string>>.Empty;
}
