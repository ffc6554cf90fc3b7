using System.Collections.Frozen;
using Tessera.Server.Apis;
using Tessera.Server.Keys;

namespace Tessera.Server.Catalog;

/// <summary>
/// Tessera itself as an API: its audience is the issuer; <c>tessera:admin</c> opens the admin API, <c>tessera:pats</c>
/// lets a signed-in user manage their personal access tokens (the CLI asks for it), and <c>tessera:provider-tokens</c>
/// opens the provider-token API.
/// </summary>
public static class BuiltInApi
{
    public const string Name = "tessera";
    public const string AdminScope = "tessera:admin";
    public const string PatsScope = "tessera:pats";

    /// <summary>Lets a client fetch the access token an external provider issued to one of its users.</summary>
    public const string ProviderTokensScope = "tessera:provider-tokens";

    /// <summary>Reads every part of the admin API (not the audit trail).</summary>
    public const string AdminReadScope = "tessera:admin:read";

    /// <summary>The parts of the admin API: <c>tessera:admin:&lt;area&gt;</c> reads and changes that part alone.</summary>
    public static readonly IReadOnlyList<string> AdminAreas = ["clients", "apis", "users", "keys", "roles", "audit"];

    /// <summary>tessera:admin (everything, as before the split), tessera:admin:read, and one scope per area.</summary>
    public static readonly IReadOnlyList<string> AdminScopes = [AdminScope, AdminReadScope, .. AdminAreas.Select(AreaScope)];

    public static string AreaScope(string area) => $"{AdminScope}:{area}";

    private static readonly FrozenSet<string> AdminScopeSet = AdminScopes.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>One of Tessera's admin permissions (every user-facing grant asks, so a frozen set).</summary>
    public static bool IsAdminScope(string scope) => AdminScopeSet.Contains(scope);

    public static RegisteredApi Create(string issuer) => new(
        Name, issuer, new[] { PatsScope, ProviderTokensScope }.Concat(AdminScopes).ToFrozenSet(StringComparer.Ordinal),
        AccessTokenFormats.Jwt, SigningAlgorithms.RS256, TimeSpan.FromMinutes(10), SharedKey: null);
}
