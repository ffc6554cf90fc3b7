using System.Collections.Frozen;

namespace Tessera.Server.Protocol.Grants;

/// <summary>The grant types this server handles, built once at start from the registered handlers.</summary>
public sealed class GrantTable(IEnumerable<IGrantHandler> handlers)
{
    private readonly FrozenDictionary<string, IGrantHandler> _handlers = handlers.ToFrozenDictionary(h => h.GrantType, StringComparer.Ordinal);

    public IEnumerable<string> GrantTypes => _handlers.Keys;

    public IGrantHandler? Find(string grantType) => _handlers.GetValueOrDefault(grantType);
}
