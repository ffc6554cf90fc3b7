using System.Text.Json;
using Tessera.Server.Catalog;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Users;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// The user claims a user's access token carries when its API asks for them (the API's <c>claims</c>): <c>roles</c>, the
/// user's roles that carry at least one of the API's permissions (an API learns nothing of roles that concern others),
/// and named attributes of the user. Nothing is read when the API asks for nothing.
/// </summary>
internal sealed class TokenUserClaims(UserPermissions permissions)
{
    public const string Roles = "roles";

    public Task<string?> ForAsync(TesseraUser user, TokenTarget target, CancellationToken cancellationToken)
    {
        var apiScopes = target.Apis.SelectMany(api => api.Scopes).ToHashSet(StringComparer.Ordinal);
        return WriteAsync(user, target.Apis.SelectMany(api => api.TokenClaims), role => role.Any(apiScopes.Contains), cancellationToken);
    }

    /// <summary>An ID token's user claims, as its client asks (<c>idTokenClaims</c>): every role of the user, and attributes.</summary>
    public Task<string?> ForIdTokenAsync(TesseraUser user, RegisteredClient client, CancellationToken cancellationToken) =>
        WriteAsync(user, client.IdTokenClaims, _ => true, cancellationToken);

    private async Task<string?> WriteAsync(TesseraUser user, IEnumerable<string> asked, Func<IGrouping<string, string>, bool> shows, CancellationToken cancellationToken)
    {
        var names = asked.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return null;

        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (names.Contains(Roles))
        {
            var roles = await permissions.RolesAsync(user.Id, cancellationToken);
            claims[Roles] = roles.Where(shows).Select(role => role.Key).Order(StringComparer.Ordinal).ToList();
        }
        if (user.Attributes is not null && names.Any(n => n != Roles))
        {
            using var attributes = JsonDocument.Parse(user.Attributes);
            foreach (var name in names.Where(n => n != Roles))
            {
                if (attributes.RootElement.TryGetProperty(name, out var value)) claims[name] = value.Clone();
            }
        }
        return claims.Count == 0 ? null : JsonSerializer.Serialize(claims);
    }
}
