using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Areas.Console.Pages.Users;

/// <summary>
/// A page of users for the console, by normalized username: keyset pagination (after the last name shown, never an
/// offset) and a prefix search as a range, so a list of 100,000 users reads one short range of Identity's unique
/// username index on SQLite and PostgreSQL alike. A query with an @ searches e-mail addresses instead (Identity's e-mail index).
/// </summary>
public static class UserSearch
{
    public const int PageSize = 50;

    /// <summary>Ends a prefix range: sorts after every name that starts with the prefix (names are uppercase here).</summary>
    private const string AfterEveryContinuation = "\uffff";

    // string.Compare is translated to SQL comparisons (the column's order, which its index follows); it never runs in .NET.
#pragma warning disable CA1309
    public static async Task<(IReadOnlyList<TesseraUser> Users, string? Next)> PageAsync(
        IQueryable<TesseraUser> users, string? normalizedQuery, string? after, CancellationToken cancellationToken)
    {
        users = users.AsNoTracking();
        if (!string.IsNullOrEmpty(normalizedQuery))
        {
            var end = normalizedQuery + AfterEveryContinuation;
            users = normalizedQuery.Contains('@', StringComparison.Ordinal)
                ? users.Where(u => string.Compare(u.NormalizedEmail, normalizedQuery) >= 0 && string.Compare(u.NormalizedEmail, end) < 0)
                : users.Where(u => string.Compare(u.NormalizedUserName, normalizedQuery) >= 0 && string.Compare(u.NormalizedUserName, end) < 0);
        }
        if (!string.IsNullOrEmpty(after)) users = users.Where(u => string.Compare(u.NormalizedUserName, after) > 0);
        var page = await users.OrderBy(u => u.NormalizedUserName).Take(PageSize + 1).ToListAsync(cancellationToken);
        var shown = page.Take(PageSize).ToList();
        return (shown, page.Count > PageSize ? shown[^1].NormalizedUserName : null);
    }
#pragma warning restore CA1309
}
