using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>
/// draft-ietf-oauth-client-id-metadata-document: a client_id that is an https URL is the client's metadata document.
/// It is fetched safely (<see cref="DocumentFetcher"/>), must name itself as client_id, may not use a shared secret,
/// and passes the rules of a client that registered itself (<see cref="ClientMetadataRules"/>: allowed grant types and
/// scopes, redirect URIs, consent always, its name unverified); its jwks_uri, if any, is read when the client signs.
/// One fetch per URL at a time; the result — or the failure — is kept as long as the response's cache headers say,
/// within the configured bounds.
/// </summary>
internal sealed class ClientIdMetadataDocumentLoader(
    DocumentClients documents, DocumentFetcher fetcher, SnapshotCache snapshots, IOptions<TesseraOptions> options, TimeProvider clock)
    : IClientDocumentLoader, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly ConcurrentDictionary<string, Lazy<Task<DocumentClients.Entry?>>> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetchSlots = new(options.Value.ClientIdMetadataDocuments.MaxConcurrentFetches);

    public async ValueTask<OAuthError?> LoadAsync(string? clientId, CancellationToken cancellationToken)
    {
        var settings = options.Value.ClientIdMetadataDocuments;
        if (!settings.Enabled || clientId is null || !DocumentClients.IsDocumentUrl(clientId)) return null;
        // A configured or registered client keeps its id, whatever it looks like.
        if (snapshots.Current.Catalog.Holds(clientId)) return null;
        if (documents.Fresh(clientId) is { } fresh) return fresh.Error;

        var fetch = _inFlight.GetOrAdd(clientId, id => new Lazy<Task<DocumentClients.Entry?>>(() => ReadAsync(id)));
        var entry = await fetch.Value.WaitAsync(cancellationToken);
        // Null: every fetch slot was busy; nothing is kept, so the next request tries again.
        return entry is null
            ? new OAuthError("temporarily_unavailable", "the client's metadata document cannot be fetched right now; try again")
            : entry.Error;
    }

    /// <summary>Fetches and checks the document, and keeps the outcome; null when no fetch slot is free.</summary>
    private async Task<DocumentClients.Entry?> ReadAsync(string clientId)
    {
        var settings = options.Value.ClientIdMetadataDocuments;
        // Yield first, so the Lazy holding this task is in _inFlight before the finally below takes it out.
        await Task.Yield();
        if (!_fetchSlots.Wait(0))
        {
            _inFlight.TryRemove(clientId, out _);
            return null;
        }
        try
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var (client, error, lifetime) = await ClientOfAsync(clientId, settings);
            // RFC 9111 §4.2.4 in spirit (stale-if-error): a site that cannot be reached right now does not undo what its
            // document said before — the client keeps working for another MinCacheLifetime, then it is tried again. A
            // document that was read and is now wrong (another client_id, a bad redirect URI) takes effect at once.
            if (error is { Error: "invalid_client" } && error.Description!.StartsWith(DocumentFetcher.FetchFailed, StringComparison.Ordinal)
                && documents.Find(clientId) is { } known)
            {
                (client, error, lifetime) = (known, null, settings.MinCacheLifetime);
            }
            var entry = new DocumentClients.Entry(client, error, now, now + (long)lifetime.TotalSeconds);
            documents.Store(clientId, entry, settings.MaxCachedDocuments);
            return entry;
        }
        finally
        {
            _fetchSlots.Release();
            // Once kept, the entry answers (DocumentClients.Fresh); the next fetch of this URL starts anew.
            _inFlight.TryRemove(clientId, out _);
        }
    }

    private async Task<(RegisteredClient? Client, OAuthError? Error, TimeSpan Lifetime)> ClientOfAsync(string clientId, ClientIdMetadataDocumentOptions settings)
    {
        static OAuthError Unusable(string reason) => OAuthError.InvalidClient($"the client ID metadata document cannot be used: {reason}", usedBasic: false);
        if (ClientIdUrl.Problem(clientId) is { } problem) return (null, Unusable($"client_id {problem}"), settings.MaxCacheLifetime);

        var fetched = await fetcher.FetchAsync(new Uri(clientId), CancellationToken.None);
        if (fetched.Failed) return (null, fetched.Error, settings.MinCacheLifetime);
        var lifetime = fetched.Value.Lifetime;

        ClientMetadata? metadata;
        JsonElement document;
        try
        {
            document = JsonSerializer.Deserialize<JsonElement>(fetched.Value.Body, Json);
            metadata = document.ValueKind == JsonValueKind.Object ? document.Deserialize<ClientMetadata>(Json) : null;
        }
        catch (JsonException)
        {
            metadata = null;
            document = default;
        }
        if (metadata is null) return (null, Unusable("it is not a JSON object of client metadata"), lifetime);
        // §4.1: the document names itself, exactly; a document served at one URL cannot speak for another client_id.
        if (metadata.ClientId != clientId) return (null, Unusable("its client_id is not the URL it was fetched from"), lifetime);
        // §4.1: no shared secret can be agreed through a public document.
        if (document.TryGetProperty("client_secret", out _) || document.TryGetProperty("client_secret_expires_at", out _))
            return (null, Unusable("it must not contain client_secret"), lifetime);
        var method = metadata.TokenEndpointAuthMethod ?? "none";
        if (method is not ("none" or ClientAuthenticationMethods.PrivateKeyJwt))
            return (null, Unusable("token_endpoint_auth_method must be none or private_key_jwt: a document cannot carry a shared secret"), lifetime);

        var checkedClient = ClientMetadataRules.Check(
            metadata with { TokenEndpointAuthMethod = method }, clientId, options.Value.Registration, snapshots.Current.Catalog);
        if (checkedClient.Failed) return (null, Unusable(checkedClient.Error.Description ?? checkedClient.Error.Error), lifetime);
        return (ToRegistered(checkedClient.Value.Client), null, lifetime);
    }

    /// <summary>What the catalog would make of the same client from a database row, for a client that has none.</summary>
    private static RegisteredClient ToRegistered(ImportedClient client)
    {
        IReadOnlyList<SecurityKey> keys = client.Jwks is { } jwks ? new JsonWebKeySet(jwks.GetRawText()).GetSigningKeys().ToList() : [];
        return new RegisteredClient(client.ClientId!, null, keys, client.GrantTypes!.ToFrozenSet(StringComparer.Ordinal),
            (client.Scopes ?? []).ToFrozenSet(StringComparer.Ordinal))
        {
            DisplayName = client.DisplayName,
            LogoUri = client.LogoUri,
            ClientUri = client.ClientUri,
            // Fetched when the client signs something (JwksUriKeySets), kept by its own cache headers.
            JwksUri = client.JwksUri,
            RedirectUris = (client.RedirectUris ?? []).ToFrozenSet(StringComparer.Ordinal),
            PostLogoutRedirectUris = (client.PostLogoutRedirectUris ?? []).ToFrozenSet(StringComparer.Ordinal),
            IsPublic = client.Public == true,
            RequireConsent = true,
            RequirePkce = true,
            RequireDpop = client.RequireDpop == true,
            IsDynamic = true,
            BackchannelLogoutUri = client.BackchannelLogoutUri,
        };
    }

    public void Dispose() => _fetchSlots.Dispose();
}
