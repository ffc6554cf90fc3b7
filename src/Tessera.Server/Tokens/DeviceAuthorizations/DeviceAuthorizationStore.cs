using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.DeviceAuthorizations;

/// <summary>Device authorizations: every change of state is one conditional UPDATE whose row count is the answer.</summary>
internal sealed class DeviceAuthorizationStore(ITesseraDbContextFactory databases, TimeProvider clock)
{
    /// <summary>Stores a pending request; returns the device code (256 random bits) and the user code.</summary>
    public async Task<(string DeviceCode, string UserCode)> CreateAsync(
        string clientId, string scope, TimeSpan lifetime, int interval, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var deviceCode = SecretGenerator.NewSecret();
            var userCode = UserCodes.Generate();
            await using var db = databases.Create();
            db.DeviceAuthorizations.Add(new DeviceAuthorization
            {
                DeviceCodeHash = OpaqueHandles.Hash(deviceCode),
                UserCode = userCode,
                ClientId = clientId,
                Scope = scope,
                ExpiresAt = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds(),
                Interval = interval,
                Status = DeviceAuthorizationStatus.Pending,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (deviceCode, userCode);
            }
            catch (DbUpdateException e) when (attempt < 3 && UniqueViolation.Is(e))
            {
                // The user code is unique: a collision with a stored one draws another.
            }
        }
    }

    public async Task<DeviceAuthorization?> FindAsync(string deviceCode, CancellationToken cancellationToken)
    {
        var hash = OpaqueHandles.Hash(deviceCode);
        await using var db = databases.Create();
        return await db.DeviceAuthorizations.AsNoTracking().SingleOrDefaultAsync(d => d.DeviceCodeHash == hash, cancellationToken);
    }

    /// <summary>The request a user code names, while it waits for the user's decision.</summary>
    public async Task<DeviceAuthorization?> FindPendingAsync(string userCode, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        return await db.DeviceAuthorizations.AsNoTracking().SingleOrDefaultAsync(
            d => d.UserCode == userCode && d.Status == DeviceAuthorizationStatus.Pending && d.ExpiresAt > now, cancellationToken);
    }

    /// <summary>The user's decision; false when the request is no longer pending (decided elsewhere, or expired).</summary>
    public async Task<bool> DecideAsync(string userCode, bool approve, string subject, long authTime, string amr, string? sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var status = approve ? DeviceAuthorizationStatus.Approved : DeviceAuthorizationStatus.Denied;
        await using var db = databases.Create();
        return await db.DeviceAuthorizations
            .Where(d => d.UserCode == userCode && d.Status == DeviceAuthorizationStatus.Pending && d.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, status).SetProperty(d => d.Subject, subject)
                .SetProperty(d => d.AuthTime, authTime).SetProperty(d => d.Amr, amr).SetProperty(d => d.SessionId, sessionId), cancellationToken) == 1;
    }

    /// <summary>
    /// RFC 8628 §3.5: records a poll; false when it came sooner than the interval after the last one, in which case the
    /// interval grows by 5 seconds for this and every later poll.
    /// </summary>
    public async Task<bool> PollOnTimeAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var onTime = await db.DeviceAuthorizations
            .Where(d => d.DeviceCodeHash == hash && (d.LastPolledAt == null || d.LastPolledAt + d.Interval <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastPolledAt, now), cancellationToken);
        if (onTime == 1) return true;
        await db.DeviceAuthorizations.Where(d => d.DeviceCodeHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastPolledAt, now).SetProperty(d => d.Interval, d => d.Interval + 5), cancellationToken);
        return false;
    }

    /// <summary>RFC 8628 §3.5: an approved request gives tokens once; the UPDATE's row count decides between racing polls.</summary>
    public async Task<bool> RedeemAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.DeviceAuthorizations
            .Where(d => d.DeviceCodeHash == hash && d.Status == DeviceAuthorizationStatus.Approved)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeviceAuthorizationStatus.Redeemed), cancellationToken) == 1;
    }
}
