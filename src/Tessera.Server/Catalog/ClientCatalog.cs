using System.Collections.Frozen;

namespace Tessera.Server.Catalog;

/// <summary>
/// An immutable snapshot of clients and APIs. The token path reads only this; a change anywhere in the cluster
/// replaces the whole snapshot.
/// </summary>
public sealed class ClientCatalog(
    long version,
    FrozenDictionary<string, RegisteredClient> clients,
    IReadOnlyList<RegisteredApi> apis,
    DocumentClients? documents = null)
{
    public long Version { get; } = version;
    public IReadOnlyList<RegisteredApi> Apis { get; } = apis;
    public FrozenDictionary<string, RegisteredApi> ApisByAudience { get; } = apis.ToFrozenDictionary(a => a.Audience, StringComparer.Ordinal);
    public FrozenDictionary<string, RegisteredApi> ApisByName { get; } = apis.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Each scope belongs to exactly one API (the import enforces it), so a scope names its API.</summary>
    public FrozenDictionary<string, RegisteredApi> ApisByScope { get; } =
        apis.SelectMany(a => a.Scopes.Select(s => (Scope: s, Api: a))).ToFrozenDictionary(x => x.Scope, x => x.Api, StringComparer.Ordinal);

    /// <summary>The longest access-token lifetime of any API: how long a retired key must stay published.</summary>
    public TimeSpan MaxAccessTokenLifetime { get; } = apis.Count == 0 ? TimeSpan.FromHours(1) : apis.Max(a => a.AccessTokenLifetime);

    public int ClientCount => clients.Count;

    /// <summary>Every client, for lookups built once per catalog (the CORS origins); the token path finds clients by id.</summary>
    public IEnumerable<RegisteredClient> Clients => clients.Values;

    /// <summary>Whether a configured or registered client has this id (a document's client never shadows one).</summary>
    public bool Holds(string clientId) => clients.ContainsKey(clientId);

    /// <summary>A configured or registered client, else one known by its client ID metadata document (never both: configured wins).</summary>
    public RegisteredClient? FindClient(string clientId) => clients.GetValueOrDefault(clientId) ?? documents?.Find(clientId);
}
