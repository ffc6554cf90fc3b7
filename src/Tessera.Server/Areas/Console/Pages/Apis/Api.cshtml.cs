using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Apis;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Keys;
using Tessera.Server.Responses;
using Tessera.Server.Roles;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Apis;

/// <summary>
/// One API in the import file's JSON: changed through the admin API's own replacement (the whole configuration
/// validated as an import), a new shared secret for an HS256/384/512 API (shown once), and a delete that first says
/// what it ends — each confirmed where it ends something.
/// </summary>
[ConsoleArea("apis")]
internal sealed class ApiModel(
    TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, PersonalAccessTokenCoverage coverage, ApiSecretProtector secrets)
    : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty] public string? Json { get; set; }

    public ImportedApi? Api { get; private set; }
    public string? NewSecret { get; private set; }
    public bool SharedSecret => Api?.SigningAlgorithm is { } algorithm && SigningAlgorithms.IsSymmetric(algorithm);

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!await LoadAsync(keepJson: true)) return NotFound();
        var (api, unreadable) = AdminCatalog.Parse<ImportedApi>(Json);
        var answer = await ChangeAsync(AuditEventTypes.ApiUpdated, AuditJoin.HandlerTransaction, AuditTarget.Named(Name),
            async () => unreadable ?? (await AdminApis.ReplaceApiAsync(Name, api!, HttpContext, db, applier, snapshots, urls, coverage)).Result);
        if (answer is JsonOk<ImportedApi>)
        {
            Notice = Text["The API is saved."];
            await LoadAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSecretAsync(bool confirmed)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm("secret");
        var answer = await ChangeAsync(AuditEventTypes.ApiSecretReset, AuditJoin.HandlerTransaction, AuditTarget.Named(Name),
            async () => (await AdminRoutes.ResetApiSecretAsync(Name, db, secrets, snapshots, HttpContext.RequestAborted)).Result);
        if (answer is JsonOk<AdminRoutes.ApiSecret> secret) NewSecret = secret.Value.Secret;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(bool confirmed)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm("delete");
        var answer = await ChangeAsync(AuditEventTypes.ApiDeleted, AuditJoin.HandlerTransaction, AuditTarget.Named(Name),
            async () => (await AdminApis.DeleteAsync(Name, HttpContext, db, snapshots, urls)).Result);
        return answer is Microsoft.AspNetCore.Http.HttpResults.NoContent ? RedirectToPage("/Apis/Index") : Page();
    }

    private async Task<bool> LoadAsync(bool keepJson = false)
    {
        if (await AdminApis.GetAsync(Name, db, HttpContext.RequestAborted) is not { Result: JsonOk<ImportedApi> found }) return false;
        Api = found.Value;
        if (!keepJson) Json = ApiJson.Write(Api);
        return true;
    }
}
