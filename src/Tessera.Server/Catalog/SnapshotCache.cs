using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Apis;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Apis;
using Tessera.Server.Storage.Clients;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Catalog;

/// <summary>
/// Holds the current <see cref="Snapshot"/> and rebuilds it from the database when the change stamp moves
/// (on this node right after a write, on other nodes at the next poll).
/// </summary>
internal sealed partial class SnapshotCache(
    ITesseraDbContextFactory databases,
    KeyMaterial keyMaterial,
    ApiSecretProtector apiSecrets,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    DocumentClients documents,
    ILogger<SnapshotCache> logger) : IDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private Dictionary<string, PublishedKey> _loadedKeys = new(StringComparer.Ordinal);
    private Snapshot? _current;

    public Snapshot Current => _current ?? throw new InvalidOperationException("The snapshot is loaded at start, before requests are served.");

    /// <summary>When the database's change stamp was last read (the snapshot is known to be current as of then); null before.</summary>
    public DateTimeOffset? LastCheckedAt { get; private set; }

    /// <summary>Reloads when the database's change stamp differs from the loaded one, or always with <paramref name="force"/>.</summary>
    public async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            await using var db = databases.Create();
            var version = await ChangeStamps.ReadAsync(db, cancellationToken);
            if (!force && _current is not null && _current.Catalog.Version == version)
            {
                LastCheckedAt = clock.GetUtcNow();
                return;
            }

            var catalog = await LoadCatalogAsync(db, version, cancellationToken);
            var keys = await LoadKeysAsync(db, cancellationToken);
            _current = new Snapshot(catalog, keys);
            LastCheckedAt = clock.GetUtcNow();
            Log.ConfigurationLoaded(logger, version, catalog.ClientCount, catalog.Apis.Count, keys.Keys.Count);
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>
    /// Reloads only the published keys, keeping the catalog: another node may have rotated a key and signed with it
    /// before this node's next poll (see <see cref="KeyRingReloader"/>).
    /// </summary>
    public async Task ReloadKeysAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            await using var db = databases.Create();
            var keys = await LoadKeysAsync(db, cancellationToken);
            _current = Current with { Keys = keys };
            Log.KeysReloaded(logger, keys.Keys.Count);
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task<ClientCatalog> LoadCatalogAsync(TesseraDbContext db, long version, CancellationToken cancellationToken)
    {
        var clients = await db.Clients.AsNoTracking().ToListAsync(cancellationToken);
        var apis = await db.ApiResources.AsNoTracking().ToListAsync(cancellationToken);

        var registeredApis = apis.Select(ToRegistered).Append(BuiltInApi.Create(options.Value.Issuer)).ToList();
        var registeredClients = clients.ToFrozenDictionary(c => c.ClientId, ToRegistered, StringComparer.Ordinal);
        return new ClientCatalog(version, registeredClients, registeredApis, documents);
    }

    private RegisteredApi ToRegistered(ApiResource api)
    {
        SymmetricSecurityKey? shared = null;
        if (SigningAlgorithms.IsSymmetric(api.SigningAlgorithm) && api.ProtectedSigningSecret is not null)
            shared = new SymmetricSecurityKey(apiSecrets.Unprotect(api.ProtectedSigningSecret)) { KeyId = ApiSecretProtector.KeyIdFor(api.Name) };

        return new RegisteredApi(api.Name, api.Audience, SpaceDelimited.ToSet(api.Scopes), api.AccessTokenFormat,
            api.SigningAlgorithm, TimeSpan.FromSeconds(api.AccessTokenLifetimeSeconds), shared)
        {
            AcceptsPersonalAccessTokens = api.PersonalAccessTokens,
            RequiresRoles = api.UserAccess == UserAccessModes.Rbac,
            TokenClaims = SpaceDelimited.ToSet(api.TokenClaims),
            ScopeDisplayNames = ScopeDisplayNamesColumn.Read(api.ScopeDisplayNames)
                .ToFrozenDictionary(scope => scope.Key, scope => scope.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
        };
    }

    private static RegisteredClient ToRegistered(Client client)
    {
        IReadOnlyList<SecurityKey> assertionKeys = client.JsonWebKeySet is null
            ? []
            : new JsonWebKeySet(client.JsonWebKeySet).GetSigningKeys().ToList();
        return new RegisteredClient(client.ClientId, client.SecretHash, assertionKeys,
            SpaceDelimited.ToSet(client.GrantTypes), SpaceDelimited.ToSet(client.Scopes))
        {
            DisplayName = client.DisplayName,
            LogoUri = client.LogoUri,
            ClientUri = client.ClientUri,
            JwksUri = client.JwksUri,
            RedirectUris = SpaceDelimited.ToSet(client.RedirectUris),
            PostLogoutRedirectUris = SpaceDelimited.ToSet(client.PostLogoutRedirectUris),
            AllowedCorsOrigins = client.AllowedCorsOrigins is null ? null : SpaceDelimited.ToSet(client.AllowedCorsOrigins),
            IsPublic = client.IsPublic,
            RequireConsent = client.RequireConsent,
            RegisteredAt = client.RegisteredAt,
            Introspects = SpaceDelimited.ToSet(client.Introspects),
            // A public client always proves possession with PKCE (RFC 9700 §2.1.1), whatever the row says.
            RequirePkce = client.RequirePkce || client.IsPublic,
            MultiAudienceTokens = client.MultiAudienceTokens,
            IdTokenClaims = SpaceDelimited.ToSet(client.IdTokenClaims),
            Administration = client.Administration,
            RequireMfa = client.RequireMfa,
            RequireDpop = client.RequireDpop,
            IsDynamic = client.Origin == ClientOrigins.Dynamic,
            RequirePushedAuthorizationRequests = client.RequirePushedAuthorizationRequests,
            BackchannelLogoutUri = client.BackchannelLogoutUri,
        };
    }

    private async Task<KeyRing> LoadKeysAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var stored = await db.SigningKeys.AsNoTracking()
            .Where(k => k.UnpublishAt == null || k.UnpublishAt > now)
            .OrderBy(k => k.ActivatesAt).ThenBy(k => k.Id)
            .ToListAsync(cancellationToken);

        // Keys already loaded are reused: no second decryption, and the signature-provider caches stay warm.
        var loaded = new Dictionary<string, PublishedKey>(StringComparer.Ordinal);
        foreach (var key in stored)
        {
            var securityKey = _loadedKeys.TryGetValue(key.Id, out var known) ? known.Key : keyMaterial.Load(key);
            loaded[key.Id] = new PublishedKey(key.Id, key.Algorithm, key.ActivatesAt, key.UnpublishAt, securityKey,
                new SigningCredentials(securityKey, key.Algorithm));
        }
        _loadedKeys = loaded;
        return new KeyRing(loaded.Values.ToList());
    }

    // A singleton: the container disposes it when the host shuts down.
    public void Dispose() => _reloading.Dispose();
}
