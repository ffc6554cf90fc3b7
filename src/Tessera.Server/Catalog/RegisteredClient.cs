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
}
