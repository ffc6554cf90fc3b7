using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Roles;

/// <summary>
/// A personal access token carries the scopes it was made with for its whole life, so when a role or a permission is
/// taken away, every token that carries a scope its owner no longer holds is ended (revoked, not narrowed: a token
/// whose rights shrink under its holder's feet would fail in surprising places). The revocation reaches the other
/// nodes through the revocation poll, like any other.
/// </summary>
internal sealed class PersonalAccessTokenCoverage(PersonalAccessTokenStore tokens, UserPermissions permissions, SnapshotCache snapshots)
{
    /// <summary>Ends the uncovered tokens of the given users (null: of every user); returns how many ended.</summary>
    public async Task<int> EndUncoveredAsync(IReadOnlyCollection<string>? userIds, CancellationToken cancellationToken)
    {
        var catalog = snapshots.Current.Catalog;
        var ended = 0;
        var active = await tokens.ListActiveAsync(userIds, cancellationToken);
        foreach (var owner in active.Where(t => ScopePolicy.NeedRoles(SpaceDelimited.Split(t.Scope), catalog)).GroupBy(t => t.UserId))
        {
            var held = await permissions.OfAsync(owner.Key, cancellationToken);
            foreach (var token in owner)
            {
                var scopes = SpaceDelimited.Split(token.Scope);
                if (ScopePolicy.HeldByUser(scopes, held, catalog).Count == scopes.Length) continue;
                await tokens.RevokeAsync(token.Hash, cancellationToken);
                ended++;
            }
        }
        return ended;
    }
}
