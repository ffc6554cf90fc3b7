using System.Collections.Concurrent;

namespace Tessera.Server.Catalog;

/// <summary>
/// Clients known by their client ID metadata document (draft-ietf-oauth-client-id-metadata-document), not by the
/// database: what this node last read of each document, with how long it may be trusted. The catalog looks here for a
/// client_id it does not hold; <see cref="IClientDocumentLoader"/> refreshes an entry before a request relies on it.
/// </summary>
public sealed class DocumentClients(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Whether a client_id is meant as a metadata document's URL (draft §3: the https scheme); its other rules are checked on fetch.</summary>
    public static bool IsDocumentUrl(string clientId) => clientId.StartsWith("https://", StringComparison.Ordinal);

    /// <summary>A document's client as last read, or the reason it could not be: each until <paramref name="FreshUntil"/>.</summary>
    public sealed record Entry(RegisteredClient? Client, Vocabulary.OAuthError? Error, long FetchedAt, long FreshUntil);

    /// <summary>The client as last read, fresh or not: tokens issued to it stay its tokens after the entry ages.</summary>
    public RegisteredClient? Find(string clientId) => _entries.TryGetValue(clientId, out var entry) ? entry.Client : null;

    /// <summary>The entry while it may be trusted without fetching again.</summary>
    public Entry? Fresh(string clientId) =>
        _entries.TryGetValue(clientId, out var entry) && entry.FreshUntil > clock.GetUtcNow().ToUnixTimeSeconds() ? entry : null;

    /// <summary>
    /// Keeps what a fetch found. A failure keeps the client last read for <see cref="Find"/>, so tokens already issued to
    /// it stay its tokens; past <paramref name="capacity"/>, the entry fetched longest ago makes room.
    /// </summary>
    public void Store(string clientId, Entry entry, int capacity)
    {
        if (entry.Client is null && _entries.TryGetValue(clientId, out var known) && known.Client is not null)
            entry = entry with { Client = known.Client };
        _entries[clientId] = entry;
        while (_entries.Count > capacity)
        {
            var oldest = _entries.MinBy(e => e.Value.FetchedAt);
            _entries.TryRemove(oldest.Key, out _);
        }
    }
}

/// <summary>Fetches a client ID metadata document when its client_id is used and the node holds no fresh copy.</summary>
public interface IClientDocumentLoader
{
    /// <summary>
    /// Null when <paramref name="clientId"/> is not a document's (or its client is loaded and fresh); otherwise why the
    /// document cannot be used, as the endpoint should answer it.
    /// </summary>
    ValueTask<Vocabulary.OAuthError?> LoadAsync(string? clientId, CancellationToken cancellationToken);
}
