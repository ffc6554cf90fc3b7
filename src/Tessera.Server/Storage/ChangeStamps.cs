using Microsoft.EntityFrameworkCore;

namespace Tessera.Server.Storage;

internal static class ChangeStamps
{
    /// <summary>Tells every node that clients, APIs or keys changed. Call inside the transaction that changed them.</summary>
    public static Task BumpAsync(TesseraDbContext db, CancellationToken cancellationToken) =>
        db.ChangeStamps.Where(s => s.Id == ChangeStamp.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);

    public static Task<long> ReadAsync(TesseraDbContext db, CancellationToken cancellationToken) =>
        db.ChangeStamps.Where(s => s.Id == ChangeStamp.SingletonId).Select(s => s.Version).SingleAsync(cancellationToken);
}
