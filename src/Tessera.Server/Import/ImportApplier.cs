using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Apis;
using Tessera.Server.Clients;
using Tessera.Server.Keys;
using Tessera.Server.Roles;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Apis;
using Tessera.Server.Storage.Clients;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Import;

/// <summary>
/// Applies a valid import document in one transaction: everything lands or nothing does. Applying the same file
/// twice changes nothing the second time.
/// </summary>
internal sealed partial class ImportApplier(
    TesseraDbContext db, UserManager<TesseraUser> users, RoleManager<TesseraRole> roles, ClientSecretHasher secrets, ApiSecretProtector apiSecrets,
    TimeProvider clock, ILogger<ImportApplier> logger)
{
    public Task ApplyAsync(ImportDocument document, CancellationToken cancellationToken) =>
        ApplyAsync(document, CredentialWrites.OnCreateOnly, cancellationToken);

    public Task ApplyAsync(ImportDocument document, CredentialWrites credentials, CancellationToken cancellationToken) =>
        ApplyAsync(document, credentials, adjustClient: null, cancellationToken);

    /// <param name="adjustClient">Writes what the import format does not carry (a dynamic client's origin and registration
    /// token) to each client row before the transaction commits, so the row never exists without it.</param>
    public async Task ApplyAsync(ImportDocument document, CredentialWrites credentials, Action<Client>? adjustClient, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Bumping first also locks: the change-stamp row (PostgreSQL) or the database (SQLite) stays locked until commit,
        // so nodes starting together apply the import one after another and the later one finds the rows to update,
        // instead of both inserting them and one failing on a unique index.
        await ChangeStamps.BumpAsync(db, cancellationToken);
        foreach (var api in document.ApiResources ?? []) await UpsertApiAsync(api, cancellationToken);
        foreach (var client in document.Clients ?? [])
        {
            // Not adjustClient?.Invoke(await …): a null-conditional call would skip its argument, and the upsert with it.
            var row = await UpsertClientAsync(client, credentials, cancellationToken);
            adjustClient?.Invoke(row);
        }
        await db.SaveChangesAsync(cancellationToken);

        var problems = new List<string>();
        foreach (var role in document.Roles ?? []) problems.AddRange(await UpsertRoleAsync(role));
        foreach (var user in document.Users ?? []) problems.AddRange(await UpsertUserAsync(user, credentials));
        if (problems.Count > 0) throw new ImportException(problems);

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task UpsertApiAsync(ImportedApi imported, CancellationToken cancellationToken)
    {
        var api = await db.ApiResources.SingleOrDefaultAsync(a => a.Name == imported.Name, cancellationToken);
        var algorithm = imported.SigningAlgorithm ?? SigningAlgorithms.RS256;
        if (api is null)
        {
            api = new ApiResource { Name = imported.Name!, Audience = "", Scopes = "", AccessTokenFormat = "", SigningAlgorithm = algorithm };
            db.ApiResources.Add(api);
        }

        // A new shared-secret API gets its secret now; it is shown once through the admin API.
        if (!SigningAlgorithms.IsSymmetric(algorithm)) api.ProtectedSigningSecret = null;
        else if (api.ProtectedSigningSecret is null || api.SigningAlgorithm != algorithm) api.ProtectedSigningSecret = apiSecrets.Generate(algorithm).Protected;

        api.Audience = imported.Audience!;
        api.Scopes = SpaceDelimited.Join(imported.Scopes!.Select(scope => scope.Name!));
        api.ScopeDisplayNames = ScopeDisplayNamesColumn.Write(imported.Scopes!
            .Where(scope => scope.DisplayNames is { Count: > 0 })
            .ToDictionary(scope => scope.Name!, scope => scope.DisplayNames!, StringComparer.Ordinal));
        api.AccessTokenFormat = imported.AccessTokenFormat ?? AccessTokenFormats.Jwt;
        api.SigningAlgorithm = algorithm;
        api.AccessTokenLifetimeSeconds = (int)(imported.AccessTokenLifetime ?? ImportValidator.DefaultLifetime).TotalSeconds;
        api.PersonalAccessTokens = imported.PersonalAccessTokens ?? false;
        api.UserAccess = imported.UserAccess ?? UserAccessModes.Consent;
        api.TokenClaims = SpaceDelimited.Join(imported.Claims ?? []);
    }

    private async Task<Client> UpsertClientAsync(ImportedClient imported, CredentialWrites credentials, CancellationToken cancellationToken)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.ClientId == imported.ClientId, cancellationToken);
        var created = client is null;
        if (client is null)
        {
            client = new Client { ClientId = imported.ClientId!, GrantTypes = "", Scopes = "", RegisteredAt = clock.GetUtcNow().ToUnixTimeSeconds() };
            db.Clients.Add(client);
        }
        client.DisplayName = imported.DisplayName;
        client.LogoUri = imported.LogoUri;
        client.ClientUri = imported.ClientUri;
        WriteClientCredentials(client, imported, created ? CredentialWrites.Overwrite : credentials, logWrites: !created && credentials == CredentialWrites.Overwrite);
        client.GrantTypes = SpaceDelimited.Join(imported.GrantTypes!);
        client.Scopes = SpaceDelimited.Join(imported.Scopes ?? []);
        client.RedirectUris = SpaceDelimited.Join(imported.RedirectUris ?? []);
        client.PostLogoutRedirectUris = SpaceDelimited.Join(imported.PostLogoutRedirectUris ?? []);
        client.AllowedCorsOrigins = imported.AllowedCorsOrigins is null ? null : SpaceDelimited.Join(imported.AllowedCorsOrigins);
        client.IsPublic = imported.Public ?? false;
        client.RequireConsent = imported.RequireConsent ?? true;
        client.Introspects = SpaceDelimited.Join(imported.Introspects ?? []);
        client.RequirePkce = imported.RequirePkce ?? true;
        client.MultiAudienceTokens = imported.MultiAudienceTokens ?? false;
        client.IdTokenClaims = SpaceDelimited.Join(imported.IdTokenClaims ?? []);
        client.Administration = imported.Administration ?? false;
        client.RequireMfa = imported.RequireMfa ?? false;
        client.RequireDpop = imported.RequireDpop ?? false;
        client.RequirePushedAuthorizationRequests = imported.RequirePushedAuthorizationRequests ?? false;
        client.BackchannelLogoutUri = imported.BackchannelLogoutUri;
        client.BackchannelLogoutSessionRequired = imported.BackchannelLogoutSessionRequired ?? false;
        return client;
    }

    private void WriteClientCredentials(Client client, ImportedClient imported, CredentialWrites credentials, bool logWrites)
    {
        // RFC 6749 §2.1: a public client has no credentials, whatever it had before.
        if (imported.Public == true)
        {
            client.SecretHash = null;
            client.JsonWebKeySet = null;
            client.JwksUri = null;
            return;
        }
        // Issue 14: the file at start must not undo a secret an administrator rotated since.
        if (credentials == CredentialWrites.OnCreateOnly) return;

        if (imported.ClientSecret is not null)
        {
            var hash = secrets.Hash(imported.ClientSecret);
            if (logWrites && !(client.SecretHash ?? []).AsSpan().SequenceEqual(hash))
                Log.ClientSecretOverwritten(logger, client.ClientId);
            client.SecretHash = hash;
        }
        else if (credentials == CredentialWrites.Overwrite)
        {
            if (logWrites && client.SecretHash is not null)
                Log.ClientSecretRemoved(logger, client.ClientId);
            client.SecretHash = null;
        }
        // AdminReplace without clientSecret: the stored secret stays.

        var jwks = imported.Jwks?.GetRawText();
        if (logWrites && jwks != client.JsonWebKeySet)
            Log.ClientJwksOverwritten(logger, client.ClientId);
        client.JsonWebKeySet = jwks;
        client.JwksUri = imported.JwksUri;
    }

    private async Task<IEnumerable<string>> UpsertUserAsync(ImportedUser imported, CredentialWrites credentials)
    {
        var user = await users.FindByNameAsync(imported.Username!);
        IdentityResult result;
        if (user is null)
        {
            user = new TesseraUser
            {
                UserName = imported.Username, Email = imported.Email, EmailConfirmed = imported.EmailVerified ?? false, Name = imported.Name,
                RequireMfa = imported.RequireMfa ?? false,
            };
            result = await users.CreateAsync(user, imported.Password!);
        }
        else
        {
            user.Email = imported.Email;
            user.EmailConfirmed = imported.EmailVerified ?? false;
            user.Name = imported.Name;
            if (imported.RequireMfa is { } requireMfa) user.RequireMfa = requireMfa;
            result = await users.UpdateAsync(user);
            // Issue 14: a password reset since the last start stands, unless the operator asks for the file's.
            if (result.Succeeded && credentials == CredentialWrites.Overwrite && !await users.CheckPasswordAsync(user, imported.Password!))
            {
                result = await users.RemovePasswordAsync(user);
                if (result.Succeeded) result = await users.AddPasswordAsync(user, imported.Password!);
                if (result.Succeeded) Log.PasswordOverwritten(logger, imported.Username);
            }
        }
        if (result.Succeeded && imported.Attributes is { } attributes)
        {
            user.Attributes = attributes.GetRawText();
            result = await users.UpdateAsync(user);
        }
        if (result.Succeeded && imported.Roles is { } wanted) result = await RoleWrites.SetUserRolesAsync(users, user, wanted);
        return result.Errors.Select(e => $"user '{imported.Username}': {e.Description}");
    }

    /// <summary>Creates the role or updates its description; its permissions are exactly the file's afterwards.</summary>
    private async Task<IEnumerable<string>> UpsertRoleAsync(ImportedRole imported)
    {
        var role = await roles.FindByNameAsync(imported.Name!);
        var result = role is null
            ? await roles.CreateAsync(role = new TesseraRole { Name = imported.Name, Description = imported.Description })
            : IdentityResult.Success;
        if (result.Succeeded && role.Description != imported.Description)
        {
            role.Description = imported.Description;
            result = await roles.UpdateAsync(role);
        }
        if (!result.Succeeded) return result.Errors.Select(e => $"role '{imported.Name}': {e.Description}");

        result = await RoleWrites.SetPermissionsAsync(roles, role, imported.Permissions ?? []);
        return result.Succeeded ? [] : result.Errors.Select(e => $"role '{imported.Name}': {e.Description}");
    }
}
