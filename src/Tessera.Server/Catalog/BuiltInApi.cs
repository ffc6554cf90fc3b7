using System.Collections.Frozen;
using Tessera.Server.Keys;
using Tessera.Server.Apis;

namespace Tessera.Server.Catalog;

/// <summary>
/// Tessera itself as an API: its audience is the issuer; <c>tessera:admin</c> opens the admin API and <c>tessera:pats</c>
/// lets a signed-in user manage their personal access tokens (the CLI asks for it).
/// </summary>
public static class BuiltInApi
{
    public const string Name = "tessera";
    public const string AdminScope = "tessera:admin";
    public const string PatsScope = "tessera:pats";

    public static RegisteredApi Create(string issuer) => new(
        Name, issuer, new[] { AdminScope, PatsScope }.ToFrozenSet(StringComparer.Ordinal),
        AccessTokenFormats.Jwt, SigningAlgorithms.RS256, TimeSpan.FromMinutes(10), SharedKey: null);
}
