using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Clients;

namespace Tessera.Server.Areas.Console.Pages.Clients;

/// <summary>The clients by id, 50 a page (keyset: after the last id shown), searched by the start of the id.</summary>
[ConsoleArea("clients")]
internal sealed class IndexModel(TesseraDbContext db) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }
    public IReadOnlyList<Client> Clients { get; private set; } = [];
    public string? Next { get; private set; }

    // string.Compare is translated to SQL (the column's own order, which its index follows); it never runs in .NET.
#pragma warning disable CA1309
    public async Task OnGetAsync()
    {
        var clients = db.Clients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            // A prefix as a range, so the primary key's index answers it on SQLite and PostgreSQL alike.
            var prefix = Search.Trim();
            clients = clients.Where(c => string.Compare(c.ClientId, prefix) >= 0 && string.Compare(c.ClientId, prefix + "\uffff") < 0);
        }
        if (!string.IsNullOrEmpty(After)) clients = clients.Where(c => string.Compare(c.ClientId, After) > 0);
        var page = await clients.OrderBy(c => c.ClientId).Take(PageSize + 1).ToListAsync(HttpContext.RequestAborted);
        Clients = page.Take(PageSize).ToList();
        Next = page.Count > PageSize ? Clients[^1].ClientId : null;
    }
#pragma warning restore CA1309
}
