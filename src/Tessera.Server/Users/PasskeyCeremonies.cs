using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Users;

/// <summary>
/// WebAuthn ceremonies kept in the database, each finished at most once on any node: the browser holds a random handle,
/// the table its SHA-256 and Identity's state (with the challenge). Finishing deletes the row in one conditional
/// statement, so a replayed response — or two at once — finds nothing the second time.
/// </summary>
internal sealed class PasskeyCeremonies(ITesseraDbContextFactory databases, TimeProvider clock)
{
    /// <summary>As long as the browser is told to wait for the authenticator (IdentityPasskeyOptions.AuthenticatorTimeout).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Stores the state; returns the handle for the browser.</summary>
    public async Task<string> BeginAsync(string kind, string? userId, string state, CancellationToken cancellationToken)
    {
        var handle = SecretGenerator.NewSecret();
        await using var db = databases.Create();
        db.PasskeyCeremonies.Add(new PasskeyCeremony
        {
            Id = Hash(handle), Kind = kind, UserId = userId, State = state,
            ExpiresAt = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return handle;
    }

    /// <summary>
    /// The state of the ceremony behind <paramref name="handle"/> when it is of this kind, for this user, unexpired and not
    /// finished before; it is finished now. Null otherwise.
    /// </summary>
    public async Task<string?> FinishAsync(string? handle, string kind, string? userId)
    {
        if (string.IsNullOrEmpty(handle)) return null;
        var id = Hash(handle);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var ceremony = await db.PasskeyCeremonies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
        if (ceremony is null || ceremony.Kind != kind || ceremony.UserId != userId || ceremony.ExpiresAt <= now) return null;
        // Not cancellable: a ceremony read but left in place could be finished a second time.
        var finished = await db.PasskeyCeremonies.Where(c => c.Id == id).ExecuteDeleteAsync(CancellationToken.None);
        return finished == 1 ? ceremony.State : null;
    }

    private static string Hash(string handle) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle)));
}
