using System.Security.Claims;
using System.Text.Json;

namespace Tessera.AspNetCore.Dpop;

/// <summary>RFC 9449 §6: the key a token is bound to, read from its <c>cnf</c> claim (JWT) or introspection member.</summary>
internal static class DpopConfirmation
{
    public const string Claim = "cnf";

    /// <summary>cnf.jkt, or null for a token that is not bound (no cnf, or a cnf of another confirmation method).</summary>
    public static string? KeyThumbprintOf(ClaimsIdentity identity)
    {
        var cnf = identity.FindFirst(Claim)?.Value;
        if (cnf is null) return null;
        try
        {
            using var json = JsonDocument.Parse(cnf);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("jkt", out var jkt)
                && jkt.ValueKind == JsonValueKind.String ? jkt.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
