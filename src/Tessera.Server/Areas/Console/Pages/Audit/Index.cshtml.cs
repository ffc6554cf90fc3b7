using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Responses;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Audit;

/// <summary>
/// The audit trail through the admin API's own reading (its filters, its keyset cursor): newest first, 50 a page,
/// filtered by type, user id, client and time; "follow" reloads the first page every 10 seconds.
/// </summary>
[ConsoleArea("audit")]
internal sealed class IndexModel(TesseraDbContext db, TimeProvider clock) : ConsolePageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Client { get; set; }
    [BindProperty(SupportsGet = true)] public string? Since { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    [BindProperty(SupportsGet = true)] public bool Follow { get; set; }

    public IReadOnlyList<AdminAudit.AuditEventView> Events { get; private set; } = [];
    public string? Next { get; private set; }

    public async Task OnGetAsync()
    {
        var answer = await AdminAudit.ListAsync(Blank(Type), Blank(UserId), Blank(Client), Blank(Since), until: null, Blank(Cursor), after: null, PageSize,
            db, clock, HttpContext.RequestAborted);
        if (answer.Result is JsonOk<AdminAudit.AuditPage> page)
        {
            Events = page.Value.Events;
            Next = page.Value.Next;
        }
        else if (answer.Result is BadRequestError refused)
        {
            Problems = [refused.Error.Description];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        // Following shows the newest events: a reload of the first page, by the browser itself (no script needed).
        if (Follow && Cursor is null) Response.Headers["Refresh"] = "10";
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
