using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Users;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// The user claims a user's access token carries when its API asks for them (the API's <c>claims</c>): <c>roles</c>, the
/// user's roles that carry at least one of the API's permissions (an API learns nothing of roles that concern others),
/// and named attributes of the user. Nothing is read when the API asks for nothing.
/// </summary>
internal sealed class TokenUserClaims(UserPermissions permissions, ITesseraDbContextFactory databases)
{
    public const string Roles = "roles";

    public Task<string?> ForAsync(TesseraUser user, TokenTarget target, CancellationToken cancellationToken) =>
        ForApisAsync(user.Id, user.Attributes, target.Apis, cancellationToken);

    /// <summary>An ID token's user claims, as its client asks (<c>idTokenClaims</c>): every role of the user, and attributes.</summary>
    public Task<string?> ForIdTokenAsync(TesseraUser user, RegisteredClient client, CancellationToken cancellationToken) =>
        WriteAsync(user.Id, user.Attributes, client.IdTokenClaims, _ => true, cancellationToken);

    /// <summary>
    /// A personal access token's user claims, for its introspection answer: read when asked, not stored with the token —
    /// a PAT lives for months, and its answer follows the user's roles and attributes as they are now.
    /// </summary>
    public async Task<string?> ForPersonalAccessTokenAsync(InspectedToken token, ClientCatalog catalog, CancellationToken cancellationToken)
    {
        // Every PAT introspection passes here: nothing is allocated when none of its APIs asks.
        if (!token.Audiences.Any(a => catalog.ApisByAudience.TryGetValue(a, out var asking) && asking.TokenClaims.Count > 0)) return null;
        var apis = token.Audiences.Where(catalog.ApisByAudience.ContainsKey).Select(a => catalog.ApisByAudience[a]).ToList();
        await using var db = databases.Create();
        var attributes = await db.Users.AsNoTracking().Where(u => u.Id == token.Subject).Select(u => u.Attributes).SingleOrDefaultAsync(cancellationToken);
        return await ForApisAsync(token.Subject, attributes, apis, cancellationToken);
    }

    private Task<string?> ForApisAsync(string userId, string? attributes, IReadOnlyCollection<RegisteredApi> apis, CancellationToken cancellationToken)
    {
        var apiScopes = apis.SelectMany(api => api.Scopes).ToHashSet(StringComparer.Ordinal);
        return WriteAsync(userId, attributes, apis.SelectMany(api => api.TokenClaims), role => role.Any(apiScopes.Contains), cancellationToken);
    }

    private async Task<string?> WriteAsync(string userId, string? attributesJson, IEnumerable<string> asked, Func<IGrouping<string, string>, bool> shows, CancellationToken cancellationToken)
    {
        var names = asked.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return null;

        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (names.Contains(Roles))
        {
            var roles = await permissions.RolesAsync(userId, cancellationToken);
            claims[Roles] = roles.Where(shows).Select(role => role.Key).Order(StringComparer.Ordinal).ToList();
        }
        if (attributesJson is not null && names.Any(n => n != Roles))
        {
            using var attributes = JsonDocument.Parse(attributesJson);
            foreach (var name in names.Where(n => n != Roles))
            {
                if (attributes.RootElement.TryGetProperty(name, out var value)) claims[name] = value.Clone();
            }
        }
        return claims.Count == 0 ? null : JsonSerializer.Serialize(claims);
    }
}
