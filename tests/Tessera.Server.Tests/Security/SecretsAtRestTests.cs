using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>What a stolen database dump would reveal: these tests read the tables and look for usable secrets.</summary>
public abstract class SecretsAtRestTests(TesseraServer server) : ServerTest(server)
{
    private async Task<T> ReadAsync<T>(Func<TesseraDbContext, Task<T>> read)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TesseraDbContext>());
    }

    [Fact]
    public async Task An_opaque_token_is_stored_only_as_its_sha256()
    {
        var handle = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(handle));

        var row = await ReadAsync(db => db.OpaqueTokens.AsNoTracking().SingleAsync(t => t.Hash == hash));

        Assert.DoesNotContain(handle, string.Join(' ', row.Jti, row.ClientId, row.Subject, row.Audiences, row.Scope));
        Assert.True(handle.Length >= "tsr_at_".Length + 43, "at least 256 bits of randomness");
    }

    [Fact]
    public async Task A_client_secret_is_stored_as_a_keyed_hash_not_in_clear()
    {
        var client = await ReadAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == Service));

        Assert.NotNull(client.SecretHash);
        Assert.Equal(32, client.SecretHash!.Length);
        // Not even the unkeyed SHA-256: without the server key a dictionary attack has nothing to test against.
        Assert.NotEqual(SHA256.HashData(Encoding.UTF8.GetBytes(ServiceSecret)), client.SecretHash);
        Assert.DoesNotContain(ServiceSecret, Encoding.UTF8.GetString(client.SecretHash));
    }

    [Fact]
    public async Task Private_signing_keys_are_encrypted()
    {
        var keys = await ReadAsync(db => db.SigningKeys.AsNoTracking().ToListAsync());

        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var stored = Convert.FromBase64String(key.ProtectedPrivateKey);
            // A clear PKCS#8 key would import; the Data Protection payload does not.
            using var rsa = RSA.Create();
            using var ec = ECDsa.Create();
            Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(stored, out _));
            Assert.ThrowsAny<CryptographicException>(() => ec.ImportPkcs8PrivateKey(stored, out _));
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SecretsAtRestTests_Sqlite(SqliteServerFixture f) : SecretsAtRestTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class SecretsAtRestTests_Postgres(PostgresServerFixture f) : SecretsAtRestTests(f.Server);
