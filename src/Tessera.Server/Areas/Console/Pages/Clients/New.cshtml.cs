using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Clients;

/// <summary>
/// A new client through the admin API's own creation (the import's validation, the privilege ceiling, the audit event):
/// a confidential client gets a generated secret, shown on this answer only.
/// </summary>
[ConsoleArea("clients")]
internal sealed class NewModel(TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, AdminPrivilegeCeiling ceiling)
    : ConsolePageModel
{
    [BindProperty] public ClientForm Form { get; set; } = new() { GrantTypes = [Vocabulary.GrantTypes.AuthorizationCode, Vocabulary.GrantTypes.RefreshToken] };

    /// <summary>The generated secret: in this response only, never stored in clear.</summary>
    public string? NewSecret { get; private set; }
    public string? CreatedClientId { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var client = Form.ToImported(null);
        var answer = await ChangeAsync(AuditEventTypes.ClientCreated, AuditJoin.HandlerTransaction, AuditTarget.Client(client.ClientId ?? ""),
            async () => (await AdminClients.CreateClientAsync(client, HttpContext, db, applier, snapshots, urls, ceiling)).Result);
        if (answer is JsonCreated<AdminClients.CreatedClient> created)
        {
            CreatedClientId = created.Value.Client.ClientId;
            NewSecret = created.Value.ClientSecret;
            // The secret must not stay in a cache or in the browser's back-forward history.
            Response.Headers.CacheControl = "no-store";
        }
        return Page();
    }
}
