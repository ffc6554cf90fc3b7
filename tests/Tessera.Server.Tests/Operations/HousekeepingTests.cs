using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Housekeeping;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tokens.Opaque;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Housekeeping deletes rows nobody needs any more. The pass is triggered directly (its timer runs every 5 minutes);
/// whether a token is active is asked over HTTP, before and after.
/// </summary>
public abstract class HousekeepingTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task An_expired_opaque_token_is_deleted_and_stays_inactive()
    {
        var token = await TokenAsync("short-opaque");
        await WaitUntilInactiveAsync(token);

        var deleted = await RunHousekeepingAsync();

        Assert.True(deleted >= 1, $"deleted {deleted} rows");
        Assert.False(await OpaqueRowExistsAsync(token));
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task A_revoked_opaque_token_stays_inactive_and_its_row_goes_when_it_expires()
    {
        // The revoked row is kept until expiry: other nodes learn of the revocation by reading it.
        var token = await TokenAsync("short-opaque");
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, token)).Status);

        await RunHousekeepingAsync();
        Assert.True(await OpaqueRowExistsAsync(token));
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);

        await Task.Delay(TimeSpan.FromSeconds(3.2));
        Assert.True(await RunHousekeepingAsync() >= 1);
        Assert.False(await OpaqueRowExistsAsync(token));
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task An_active_opaque_token_survives_housekeeping()
    {
        var token = await TokenAsync("ledger");

        await RunHousekeepingAsync();

        Assert.True(await OpaqueRowExistsAsync(token));
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task A_revoked_jwt_stays_revoked_after_housekeeping_until_it_expires()
    {
        // The deny-list entry is all that keeps a revoked, unexpired JWT inactive: housekeeping must keep it.
        var token = await TokenAsync("message");
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, token)).Status);

        await RunHousekeepingAsync();

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task The_deny_list_entry_of_an_expired_jwt_is_deleted()
    {
        var token = await TokenAsync("short");
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, token)).Status);
        var jti = (string)Jwt.Payload(token)["jti"]!;
        Assert.True(await DenyListedAsync(jti));
        var expiresAt = (long)Jwt.Payload(token)["exp"]!;
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() < expiresAt) await Task.Delay(200);

        Assert.True(await RunHousekeepingAsync() >= 1);

        Assert.False(await DenyListedAsync(jti));
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task Authorization_codes_are_kept_a_day_after_expiry_for_replay_detection_then_deleted()
    {
        // A day-old code cannot be made over HTTP without waiting a day: these rows are written as the code grant writes them.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = await AddCodeAsync(now - (long)ExpiredRowSweeps.AuthorizationCodeRetention.TotalSeconds - 60);
        var recent = await AddCodeAsync(now - 3600);

        await RunHousekeepingAsync();

        Assert.False(await CodeExistsAsync(old));
        Assert.True(await CodeExistsAsync(recent));
    }

    [Fact]
    public async Task Revocation_log_lines_are_kept_a_day_then_deleted()
    {
        // Every node reads a line within its poll interval; the log must not grow with every revocation ever made.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = await AddRevocationLineAsync(now - (long)ExpiredRowSweeps.RevocationLogRetention.TotalSeconds - 60);
        var recent = await AddRevocationLineAsync(now - 3600);

        await RunHousekeepingAsync();

        Assert.False(await RevocationLineExistsAsync(old));
        Assert.True(await RevocationLineExistsAsync(recent));
    }

    /// <summary>A line about a session nobody has: the nodes' polls read it and change nothing.</summary>
    private async Task<string> AddRevocationLineAsync(long createdAt)
    {
        var key = "housekeeping-" + Guid.NewGuid().ToString("n");
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        db.RevocationEvents.Add(new RevocationEvent { Kind = RevocationKind.Session, Key = key, CreatedAt = createdAt });
        await db.SaveChangesAsync();
        return key;
    }

    private async Task<bool> RevocationLineExistsAsync(string key)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().RevocationEvents.AnyAsync(e => e.Key == key);
    }

    private async Task<byte[]> AddCodeAsync(long expiresAt)
    {
        var hash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        db.AuthorizationCodes.Add(new AuthorizationCode
        {
            Hash = hash, ClientId = Service, RedirectUri = "https://web.example/callback", Scope = "openid", Subject = "someone",
            ExpiresAt = expiresAt, ConsumedAt = expiresAt - 50, IssuedTokenJti = Convert.ToHexString(hash.AsSpan(0, 16)),
        });
        await db.SaveChangesAsync();
        return hash;
    }

    private async Task<bool> CodeExistsAsync(byte[] hash)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().AuthorizationCodes.AnyAsync(c => c.Hash == hash);
    }

    private Task<int> RunHousekeepingAsync() =>
        Server.GetService<HousekeepingService>().DeleteExpiredAsync(CancellationToken.None);

    private async Task<string> TokenAsync(string scope)
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope);
        Assert.Equal(200, response.Status);
        return response.AccessToken;
    }

    private async Task WaitUntilInactiveAsync(string token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active)
        {
            Assert.True(DateTime.UtcNow < deadline, "the 2-second token was still active after 10 s");
            await Task.Delay(200);
        }
    }

    // Reads only: the verdicts come from the server; these say whether the row itself is gone.
    private async Task<bool> OpaqueRowExistsAsync(string token)
    {
        var hash = OpaqueHandles.Hash(token);
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().OpaqueTokens.AnyAsync(t => t.Hash == hash);
    }

    private async Task<bool> DenyListedAsync(string jti)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().RevokedJwts.AnyAsync(r => r.Jti == jti);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class HousekeepingTests_Sqlite(SqliteServerFixture f) : HousekeepingTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class HousekeepingTests_Postgres(PostgresServerFixture f) : HousekeepingTests(f.Server);

[Collection(PgBouncerCollection.Name)]
public sealed class HousekeepingTests_PgBouncer(PgBouncerServerFixture f) : HousekeepingTests(f.Server);
