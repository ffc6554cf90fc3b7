using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Tessera.Server.Configuration;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Responses;

/// <summary>
/// Links to the error page. The error travels in the link, protected by Data Protection, so the page shows only
/// messages this server wrote (no text injection through the query string) and any node can show it.
/// </summary>
public sealed class ErrorPages(IDataProtectionProvider dataProtection, IssuerUrls urls, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("Tessera.Pages.Error.v1").ToTimeLimitedDataProtector();

    internal string Link(OAuthError error)
    {
        var payload = JsonSerializer.Serialize(new[] { error.Error, error.Description });
        return urls.PathBase + PagePaths.Error + "?id=" + Uri.EscapeDataString(_protector.Protect(payload, clock.GetUtcNow().AddMinutes(10)));
    }

    internal IResult Redirect(OAuthError error) => Results.Redirect(Link(error));

    /// <summary>The error the link carries, or null for a link this server did not make (or an old one).</summary>
    public (string Error, string Description)? Read(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 4096) return null;
        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(_protector.Unprotect(id, out _));
            return parts is [var error, var description] ? (error, description) : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
