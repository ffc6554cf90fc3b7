using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Sessions;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Benchmarks;

/// <summary>
/// <c>cache-memory [ROWS]</c>: the managed heap a node's opaque-token cache and session cache hold per row, filled with
/// rows shaped like the ones the database hands back (every string a fresh instance, as EF Core materializes them).
/// Measured as the difference of <see cref="GC.GetTotalMemory(bool)"/> after full collections, divided by the rows.
/// </summary>
public static class CacheMemory
{
    public static int Run(int rows)
    {
        Console.WriteLine($"rows per cache: {rows:N0}");
        Report("opaque, client credentials (sub = client_id, no user claims)", rows, () =>
        {
            var cache = new OpaqueTokenCache(Options.Create(new TesseraOptions { Cache = { OpaqueTokenCacheSize = rows } }));
            for (var i = 0; i < rows; i++) cache.Keep(ClientToken());
            return cache;
        });
        Report("opaque, a user's token (amr, auth_time, a roles claim)", rows, () =>
        {
            var cache = new OpaqueTokenCache(Options.Create(new TesseraOptions { Cache = { OpaqueTokenCacheSize = rows } }));
            for (var i = 0; i < rows; i++) cache.Keep(UserToken(i));
            return cache;
        });
        Report("session (browser User-Agent, IPv4)", rows, () =>
        {
            var cache = new SessionCache();
            for (var i = 0; i < rows; i++) cache.Add(Session(i));
            return cache;
        });
        return 0;
    }

    private static void Report(string what, int rows, Func<IDisposable> fill)
    {
        var before = Settled();
        var cache = fill();
        var after = Settled();
        GC.KeepAlive(cache);
        var perRow = (after - before) / (double)rows;
        Console.WriteLine($"{what}: {perRow:F0} bytes per row, {(after - before) / 1024.0 / 1024.0:F1} MiB for {rows:N0} rows");
        cache.Dispose();
    }

    private static long Settled()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A copy, as a database read gives: equal text, its own instance.</summary>
    private static string Fresh(string value) => new(value.AsSpan());

    private static string Random(int bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(bytes));

    private static OpaqueToken ClientToken() => new()
    {
        Hash = RandomNumberGenerator.GetBytes(32),
        Jti = Random(16),
        ClientId = Fresh("orders-service"),
        Subject = Fresh("orders-service"),
        Audiences = Fresh("https://api.example/ledger"),
        Scope = Fresh("ledger"),
        IssuedAt = Now,
        ExpiresAt = Now + 3600,
        Amr = Fresh(""),
    };

    private static OpaqueToken UserToken(int i) => new()
    {
        Hash = RandomNumberGenerator.GetBytes(32),
        Jti = Random(16),
        ClientId = Fresh("web-app"),
        Subject = Guid.NewGuid().ToString(),
        Audiences = Fresh("https://api.example/ledger"),
        Scope = Fresh("openid ledger"),
        IssuedAt = Now,
        ExpiresAt = Now + 3600,
        AuthTime = Now - (i % 600),
        Amr = Fresh("pwd"),
        UserClaims = Fresh("{\"roles\":[\"clerk\"]}"),
    };

    private static UserSession Session(int i) => new()
    {
        Id = Random(16),
        UserId = Guid.NewGuid().ToString(),
        CreatedAt = Now,
        LastSeenAt = Now,
        ExpiresAt = Now + 14 * 24 * 3600,
        UserAgent = Fresh("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
        IpAddress = $"203.0.113.{i % 250}",
    };
}
