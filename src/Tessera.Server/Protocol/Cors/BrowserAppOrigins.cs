using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;

namespace Tessera.Server.Protocol.Cors;

/// <summary>
/// The origins browser apps may call from (<see cref="CorsOrigins"/> over every client), built once per catalog, so a
/// request looks its Origin up in a frozen set instead of scanning the clients, and a catalog change is followed at once.
/// </summary>
internal sealed class BrowserAppOrigins(SnapshotCache snapshots)
{
    // Keyed by the catalog instance, like the discovery document: a replaced catalog's set goes with it.
    private readonly ConditionalWeakTable<ClientCatalog, FrozenSet<string>> _origins = new();

    public bool IsAllowed(string origin) => _origins.GetValue(snapshots.Current.Catalog, Build).Contains(origin);

    private static FrozenSet<string> Build(ClientCatalog catalog) =>
        catalog.Clients.SelectMany(CorsOrigins.Of).ToFrozenSet(StringComparer.Ordinal);
}
