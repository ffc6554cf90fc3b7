using Microsoft.EntityFrameworkCore;
using Tessera.Server.Audit;
using Tessera.Server.Storage;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Areas.Console.Pages;

/// <summary>
/// The console's overview: how much there is (users, clients, APIs, roles), what the last hour and day of sign-ins
/// looked like (the audit trail, every node), and the tokens this node issued per minute (its own counter).
/// </summary>
internal sealed class IndexModel(TesseraDbContext db, RecentTokenIssuance issuance, TimeProvider clock) : ConsolePageModel
{
    public int Users { get; private set; }
    public int Clients { get; private set; }
    public int Apis { get; private set; }
    public int Roles { get; private set; }
    public IReadOnlyList<long> TokensPerMinute { get; private set; } = [];
    public (int Succeeded, int Failed) SignInsLastHour { get; private set; }
    public (int Succeeded, int Failed) SignInsLastDay { get; private set; }

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Users = await db.Users.CountAsync(cancellationToken);
        Clients = await db.Clients.CountAsync(cancellationToken);
        Apis = await db.ApiResources.CountAsync(cancellationToken);
        Roles = await db.Roles.CountAsync(cancellationToken);
        TokensPerMinute = issuance.PerMinute(15);
        var now = clock.GetUtcNow();
        SignInsLastHour = await SignInsSinceAsync(now.AddHours(-1), cancellationToken);
        SignInsLastDay = await SignInsSinceAsync(now.AddDays(-1), cancellationToken);
    }

    private async Task<(int, int)> SignInsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var from = since.ToUnixTimeMilliseconds();
        var counts = await db.AuditEvents.AsNoTracking()
            .Where(e => e.OccurredAt >= from && (e.Type == AuditEventTypes.SignInSucceeded || e.Type == AuditEventTypes.SignInFailed))
            .GroupBy(e => e.Type).Select(g => new { Type = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return (counts.FirstOrDefault(c => c.Type == AuditEventTypes.SignInSucceeded)?.Count ?? 0,
            counts.FirstOrDefault(c => c.Type == AuditEventTypes.SignInFailed)?.Count ?? 0);
    }
}
