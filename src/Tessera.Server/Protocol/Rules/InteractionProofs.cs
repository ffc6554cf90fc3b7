using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// Proof that the signed-in user approved one authorization request on the consent page just now, carried back to the
/// authorize endpoint in the <c>interaction</c> parameter. A request that needs an interaction every time
/// (<see cref="NativeClientInteraction"/>) is answered only with a proof made for that user and that
/// exact request (every parameter, prompt and redirect port included), so it cannot be lifted to another request.
/// </summary>
public sealed class InteractionProofs(IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public const string Parameter = "interaction";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("Tessera.Pages.InteractionProof.v1").ToTimeLimitedDataProtector();

    /// <summary>The return URL of the consent page with a proof for <paramref name="userId"/> appended.</summary>
    public string Append(string returnUrl, string userId)
    {
        var query = returnUrl.IndexOf('?') is var at and >= 0 ? returnUrl[at..] : "";
        var proof = _protector.Protect(Bind(userId, QueryHelpers.ParseQuery(query)), clock.GetUtcNow().Add(Lifetime));
        return QueryHelpers.AddQueryString(returnUrl, Parameter, proof);
    }

    /// <summary>True when the request carries an unexpired proof made for this user and this request.</summary>
    public bool Verify(IQueryCollection query, string userId)
    {
        if (query[Parameter] is not { Count: 1 } sent || string.IsNullOrEmpty(sent[0]) || sent[0]!.Length > 4096) return false;
        try
        {
            var expected = Bind(userId, query.Where(p => p.Key != Parameter));
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(_protector.Unprotect(sent[0]!, out _)), Encoding.UTF8.GetBytes(expected));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The user and a hash of every parameter of the request but the proof, in a canonical order.</summary>
    private static string Bind(string userId, IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> parameters)
    {
        var canonical = string.Join("&", parameters.Where(p => p.Key != Parameter).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value.ToString())));
        return userId + " " + Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
