using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Areas.Console.Pages.Users;

/// <summary>The users, 50 a page, searched by the start of the username or e-mail address (<see cref="UserSearch"/>).</summary>
[ConsoleArea("users")]
internal sealed class IndexModel(UserManager<TesseraUser> users) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }
    public IReadOnlyList<TesseraUser> Users { get; private set; } = [];
    public string? Next { get; private set; }

    public async Task OnGetAsync()
    {
        // Identity's own normalizer, so the search matches as sign-in does.
        var query = string.IsNullOrWhiteSpace(Search) ? null
            : Search.Contains('@', StringComparison.Ordinal) ? users.NormalizeEmail(Search.Trim()) : users.NormalizeName(Search.Trim());
        (Users, Next) = await UserSearch.PageAsync(users.Users, query, After, HttpContext.RequestAborted);
    }
}
