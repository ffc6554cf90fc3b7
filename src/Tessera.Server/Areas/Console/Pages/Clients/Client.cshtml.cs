using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Areas.Console.Pages.Clients;

/// <summary>
/// One client: its settings, an edit through the admin API's own replacement, a new secret (shown once; the old one
/// stops working at once), and a delete that first says what it ends and asks again.
/// </summary>
[ConsoleArea("clients")]
internal sealed class ClientModel(
    TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, AdminPrivilegeCeiling ceiling, TimeProvider clock)
    : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string ClientId { get; set; } = "";
    [BindProperty] public ClientForm Form { get; set; } = new();

    public ImportedClient? Client { get; private set; }
    public bool HasSecret { get; private set; }
    public string? NewSecret { get; private set; }

    public int Consents { get; private set; }
    public int ActiveRefreshTokens { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!await LoadAsync(keepForm: true)) return NotFound();
        var client = Form.ToImported(Client) with { ClientId = ClientId, ClientSecret = null };
        var answer = await ChangeAsync(AuditEventTypes.ClientUpdated, AuditJoin.HandlerTransaction, AuditTarget.Client(ClientId),
            async () => (await AdminClients.ReplaceClientAsync(ClientId, client, HttpContext, db, applier, snapshots, urls, ceiling)).Result);
        if (answer is JsonOk<ImportedClient>)
        {
            Notice = Text["The client is saved."];
            await LoadAsync();
        }
        return Page();
    }

    /// <summary>A new secret replaces the old one, which stops working at once: so it is confirmed first.</summary>
    public async Task<IActionResult> OnPostRotateSecretAsync(bool confirmed)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm("rotate-secret");
        var secret = SecretGenerator.NewSecret();
        var client = Client! with { ClientSecret = secret };
        var answer = await ChangeAsync(AuditEventTypes.ClientUpdated, AuditJoin.HandlerTransaction, AuditTarget.Client(ClientId),
            async () => (await AdminClients.ReplaceClientAsync(ClientId, client, HttpContext, db, applier, snapshots, urls, ceiling)).Result);
        if (answer is JsonOk<ImportedClient>)
        {
            NewSecret = secret;
            Response.Headers.CacheControl = "no-store";
            await LoadAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(bool confirmed)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm("delete");
        var answer = await ChangeAsync(AuditEventTypes.ClientDeleted, AuditJoin.HandlerTransaction, AuditTarget.Client(ClientId),
            async () => (await AdminClients.DeleteAsync(ClientId, HttpContext, db, snapshots, ceiling)).Result);
        return answer is Microsoft.AspNetCore.Http.HttpResults.NoContent ? RedirectToPage("/Clients/Index") : Page();
    }

    /// <summary>The stored client; the form shows it unless it holds a post being answered (<paramref name="keepForm"/>).</summary>
    private async Task<bool> LoadAsync(bool keepForm = false)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var stored = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == ClientId, cancellationToken);
        if (stored is null) return false;
        Client = AdminCatalog.ToImported(stored);
        HasSecret = stored.SecretHash is not null;
        if (!keepForm) Form = ClientForm.Of(Client);
        Consents = await db.Consents.CountAsync(c => c.ClientId == ClientId, cancellationToken);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        ActiveRefreshTokens = await db.RefreshTokens.CountAsync(t => t.ClientId == ClientId && t.ConsumedAt == null && t.ExpiresAt > now, cancellationToken);
        return true;
    }
}
