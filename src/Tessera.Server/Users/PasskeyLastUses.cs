using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>When each passkey last signed its user in (<see cref="PasskeyUse"/>), for the security page's list.</summary>
internal sealed class PasskeyLastUses(ITesseraDbContextFactory databases)
{
    /// <summary>Records a sign-in with the passkey now.</summary>
    public async Task RecordAsync(string userId, byte[] credentialId, long now)
    {
        await using var db = databases.Create();
        var updated = await db.PasskeyUses.Where(u => u.CredentialId == credentialId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastUsedAt, now), CancellationToken.None);
        if (updated > 0) return;
        db.PasskeyUses.Add(new PasskeyUse { CredentialId = credentialId, UserId = userId, LastUsedAt = now });
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // Another node recorded the same passkey's first use in the same instant (its time is as good), or the
            // passkey was removed meanwhile (its use goes with it).
        }
    }

    /// <summary>The last use of each of a user's passkeys, by credential id (base64url).</summary>
    public async Task<IReadOnlyDictionary<string, long>> OfAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var uses = await db.PasskeyUses.AsNoTracking().Where(u => u.UserId == userId).ToListAsync(cancellationToken);
        return uses.ToDictionary(u => Base64UrlEncoder.Encode(u.CredentialId), u => u.LastUsedAt, StringComparer.Ordinal);
    }

}
