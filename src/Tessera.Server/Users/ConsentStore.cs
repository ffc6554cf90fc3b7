using Microsoft.EntityFrameworkCore;
using Tessera.Server.Audit;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Users;

/// <summary>Remembered consent, per user + client: the union of the scopes the user approved.</summary>
internal sealed class ConsentStore(ITesseraDbContextFactory databases, TimeProvider clock, AuditTrail audit)
{
    /// <summary>True when the user already approved every requested scope for this client.</summary>
    public async Task<bool> CoversAsync(string userId, string clientId, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var granted = await db.Consents.AsNoTracking().Where(c => c.UserId == userId && c.ClientId == clientId)
            .Select(c => c.Scopes).SingleOrDefaultAsync(cancellationToken);
        return granted is not null && scopes.All(SpaceDelimited.ToSet(granted).Contains);
    }

    /// <summary>The scopes the user approved for this client; empty when none.</summary>
    public async Task<IReadOnlyList<string>> GrantedScopesAsync(string userId, string clientId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var granted = await db.Consents.AsNoTracking().Where(c => c.UserId == userId && c.ClientId == clientId)
            .Select(c => c.Scopes).SingleOrDefaultAsync(cancellationToken);
        return granted is null ? [] : SpaceDelimited.Split(granted);
    }

    /// <summary>Everything the user has approved, newest first: the account page's list of grants.</summary>
    public async Task<List<Consent>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.Consents.AsNoTracking().Where(c => c.UserId == userId)
            .OrderByDescending(c => c.GrantedAt).ThenBy(c => c.ClientId).ToListAsync(cancellationToken);
    }

    /// <summary>Forgets the user's approval for the client; the next authorization request asks again.</summary>
    public async Task WithdrawAsync(string userId, string clientId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Consents.Where(c => c.UserId == userId && c.ClientId == clientId).ExecuteDeleteAsync(cancellationToken) == 0) return;
        audit.Add(db, new AuditEntry(AuditEventTypes.ConsentWithdrawn) { UserId = userId, ClientId = clientId }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task GrantAsync(string userId, string clientId, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var consent = await db.Consents.SingleOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, cancellationToken);
        if (consent is null)
        {
            consent = new Consent { UserId = userId, ClientId = clientId, Scopes = "" };
            db.Consents.Add(consent);
        }
        consent.Scopes = SpaceDelimited.Join(SpaceDelimited.Split(consent.Scopes).Union(scopes, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        consent.GrantedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        audit.Add(db, new AuditEntry(AuditEventTypes.ConsentGranted)
        {
            UserId = userId, ClientId = clientId, Details = new Dictionary<string, string?> { ["scope"] = consent.Scopes },
        }, null);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // The same user approved in two tabs at once: the other approval landed first; approve again on top of it.
            await GrantAsync(userId, clientId, scopes, cancellationToken);
        }
    }
}
