using Tessera.Server.Admin;
using Tessera.Server.Import;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Apis;

/// <summary>The APIs and their scopes as the import file has them (the admin API's own view of each).</summary>
[ConsoleArea("apis")]
internal sealed class IndexModel(TesseraDbContext db) : ConsolePageModel
{
    public IReadOnlyList<ImportedApi> Apis { get; private set; } = [];

    public async Task OnGetAsync() => Apis = (await AdminApis.ListAsync(db, HttpContext.RequestAborted)).Value.Apis;
}
