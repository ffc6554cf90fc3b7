using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Users;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// Narrows a user-facing grant's scopes to those the user holds (<see cref="ScopePolicy.HeldByUser"/>). The user's
/// roles are read only when a scope of an API with <c>userAccess: rbac</c> is involved, so consent-based grants cost
/// nothing more.
/// </summary>
internal sealed class HeldScopes(UserPermissions permissions)
{
    public async Task<IReadOnlyList<string>> OfAsync(string userId, IReadOnlyList<string> scopes, ClientCatalog catalog, CancellationToken cancellationToken) =>
        ScopePolicy.NeedRoles(scopes, catalog) ? ScopePolicy.HeldByUser(scopes, await permissions.OfAsync(userId, cancellationToken), catalog) : scopes;

    /// <summary>
    /// A token exchange's scopes: narrowed when the subject is a user; a client's own token (client credentials, passed
    /// along a chain of services) has no user and so no roles, and keeps what the client was given.
    /// </summary>
    public async Task<IReadOnlyList<string>> OfSubjectAsync(string subject, IReadOnlyList<string> scopes, ClientCatalog catalog, CancellationToken cancellationToken) =>
        ScopePolicy.NeedRoles(scopes, catalog) && await permissions.IsUserAsync(subject, cancellationToken)
            ? ScopePolicy.HeldByUser(scopes, await permissions.OfAsync(subject, cancellationToken), catalog)
            : scopes;
}
