using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;

namespace Tessera.Server.Clients;

/// <summary>
/// Client secrets are generated with ≥ 256 bits of entropy, not chosen by people, so a keyed fast hash is enough:
/// HMAC-SHA-256 under a server key stored encrypted in the database (so every node shares it). A slow KDF here would
/// cap the token endpoint at a few hundred requests per second on this machine (bench/RESULTS.md).
/// </summary>
internal sealed class ClientSecretHasher
{
    private const string SecretName = "client-secret-hmac-key";
    private byte[]? _key;

    private byte[] Key => _key ?? throw new InvalidOperationException("The client-secret key is loaded at start.");

    public byte[] Hash(string secret) => HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time comparison, so timing reveals nothing about the stored hash.</summary>
    public bool Verify(string presented, byte[] storedHash)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented);
        HMACSHA256.HashData(Key, bytes, hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    /// <summary>Loads the key, creating it on the first start; when two nodes race, both end with the row that won.</summary>
    public async Task LoadAsync(TesseraDbContext db, IDataProtectionProvider dataProtection, CancellationToken cancellationToken)
    {
        var protector = dataProtection.CreateProtector("Tessera.Clients.SecretHmacKey.v1");
        var row = await db.ServerSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == SecretName, cancellationToken);
        if (row is null)
        {
            var fresh = Convert.ToBase64String(protector.Protect(RandomNumberGenerator.GetBytes(32)));
            // Nodes starting together race to create it: the first insert wins, the others read the winner's. One
            // statement, so the losers' conflict is not an error EF Core would log.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ServerSecrets" ("Name", "ProtectedValue") VALUES ({SecretName}, {fresh})
                ON CONFLICT ("Name") DO NOTHING
                """, cancellationToken);
            row = await db.ServerSecrets.AsNoTracking().SingleAsync(s => s.Name == SecretName, cancellationToken);
        }
        _key = protector.Unprotect(Convert.FromBase64String(row.ProtectedValue));
    }
}
