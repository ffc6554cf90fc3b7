using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Apis;

/// <summary>A new API in the import file's JSON, through the admin API's own creation.</summary>
[ConsoleArea("apis")]
internal sealed class NewModel(TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls) : ConsolePageModel
{
    [BindProperty] public string? Json { get; set; } = ApiJson.Example;

    public async Task<IActionResult> OnPostAsync()
    {
        var (api, unreadable) = AdminCatalog.Parse<ImportedApi>(Json);
        var answer = await ChangeAsync(AuditEventTypes.ApiCreated, AuditJoin.HandlerTransaction, AuditTarget.Named(api?.Name ?? ""),
            async () => unreadable ?? (await AdminApis.CreateApiAsync(api!, HttpContext, db, applier, snapshots, urls)).Result);
        return answer is JsonCreated<ImportedApi> created ? RedirectToPage("/Apis/Api", new { name = created.Value.Name }) : Page();
    }
}
