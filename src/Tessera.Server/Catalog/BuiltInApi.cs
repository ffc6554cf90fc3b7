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

    public static RegisteredApi Create(string issuer) => new(
        Name, issuer, new[] { AdminScope, PatsScope, ProviderTokensScope }.ToFrozenSet(StringComparer.Ordinal),
        AccessTokenFormats.Jwt, SigningAlgorithms.RS256, TimeSpan.FromMinutes(10), SharedKey: null);
}
