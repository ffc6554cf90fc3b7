using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// Browser sessions kept server side: the cookie carries only a random handle; the ticket with the user's tokens lives
/// in the distributed cache (in memory unless Redis or another is registered), encrypted with Data Protection.
/// </summary>
internal sealed class SessionTicketStore(IDistributedCache cache, IDataProtectionProvider protection) : ITicketStore
{
    private const string Prefix = "tessera:gateway:session:";
    private readonly IDataProtector _protector = protection.CreateProtector("Tessera.Gateway.Session");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var bytes = _protector.Protect(TicketSerializer.Default.Serialize(ticket));
        var entry = new DistributedCacheEntryOptions { AbsoluteExpiration = ticket.Properties.ExpiresUtc };
        return cache.SetAsync(Prefix + key, bytes, entry);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await cache.GetAsync(Prefix + key);
        if (bytes is null) return null;
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(bytes));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public Task RemoveAsync(string key) => cache.RemoveAsync(Prefix + key);
}
