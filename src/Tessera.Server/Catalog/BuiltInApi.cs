using System.Collections.Frozen;
using Tessera.Server.Keys;
using Tessera.Server.Apis;

namespace Tessera.Server.Catalog;

/// <summary>Tessera itself as an API: its audience is the issuer, and <c>tessera:admin</c> opens the admin API.</summary>
public static class BuiltInApi
{
    public const string Name = "tessera";
    public const string AdminScope = "tessera:admin";

    public static RegisteredApi Create(string issuer) => new(
        Name, issuer, new[] { AdminScope }.ToFrozenSet(StringComparer.Ordinal),
        AccessTokenFormats.Jwt, SigningAlgorithms.RS256, TimeSpan.FromMinutes(10), SharedKey: null);
}
