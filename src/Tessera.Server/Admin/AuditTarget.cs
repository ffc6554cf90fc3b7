using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Admin;

/// <summary>What an admin change is about, as its audit event records it: a client, a user, a named API or role, a key.</summary>
internal sealed record AuditTarget(string? UserId, string? ClientId, IReadOnlyDictionary<string, string?>? Details)
{
    public static readonly AuditTarget None = new(null, null, null);

    public static AuditTarget Client(string clientId) => new(null, clientId, null);

    public static AuditTarget Named(string name) => new(null, null, new Dictionary<string, string?> { ["name"] = name });

    public static AuditTarget Key(string algorithm) => new(null, null, new Dictionary<string, string?> { ["alg"] = algorithm });

    /// <summary>The user's id when the user exists (a failed change of an unknown name still names it).</summary>
    public static async Task<AuditTarget> UserAsync(UserManager<TesseraUser> users, string username) =>
        new((await users.FindByNameAsync(username))?.Id, null, new Dictionary<string, string?> { ["username"] = username });
}
