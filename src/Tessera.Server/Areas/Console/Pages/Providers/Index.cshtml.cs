using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Providers;

/// <summary>
/// The external sign-in providers as configured (read-only: they live in configuration, with their secrets, which this
/// page never shows) and how many accounts are linked to each.
/// </summary>
internal sealed class IndexModel(IOptions<TesseraOptions> options, TesseraDbContext db) : ConsolePageModel
{
    public IReadOnlyList<(string Name, ExternalProviderOptions Provider)> Providers { get; private set; } = [];
    public IReadOnlyDictionary<string, int> LinkedAccounts { get; private set; } = new Dictionary<string, int>();

    public async Task OnGetAsync()
    {
        Providers = [.. options.Value.ExternalProviders.Select(p => (p.Key, p.Value))];
        LinkedAccounts = await db.UserLogins.GroupBy(l => l.LoginProvider).Select(g => new { Provider = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Provider, g => g.Count, HttpContext.RequestAborted);
    }
}
