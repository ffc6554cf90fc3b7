using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;

namespace Tessera.AspNetCore.Validation;

/// <summary>An RFC 7662 §2.2 response, as received (kept raw: the distributed cache holds the issuer's own bytes).</summary>
/// <remarks>Immutable for HybridCache: the memory cache hands out this instance, not a copy made per request.</remarks>
[ImmutableObject(true)]
internal sealed record IntrospectionAnswer(byte[] Raw, bool Active, long? ExpiresAt, string? Issuer, IReadOnlyList<string> Audiences, JsonElement Root)
{
    private static readonly string[] ClaimNames = ["sub", "client_id", "scope", "jti", "iat", "exp", "iss", "username", "act", "acr", "auth_time", "cnf"];

    public static IntrospectionAnswer? Parse(byte[] body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object) return null;
            var active = root.TryGetProperty("active", out var a) && a.ValueKind == JsonValueKind.True;
            long? exp = root.TryGetProperty("exp", out var e) && e.TryGetInt64(out var x) ? x : null;
            var iss = root.TryGetProperty("iss", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var audiences = !root.TryGetProperty("aud", out var aud) ? [] :
                aud.ValueKind == JsonValueKind.String ? [aud.GetString()!] :
                aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList() : new List<string>();
            return new IntrospectionAnswer(body, active, exp, iss, audiences, root);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Claim[]? _claims;

    /// <summary>The claims are read from the JSON once per cached answer, then copied into each request's identity.</summary>
    public ClaimsIdentity ToIdentity(string authenticationType) =>
        new(_claims ??= ReadClaims(), authenticationType, TesseraDefaults.SubjectClaim, TesseraDefaults.RoleClaim);

    private Claim[] ReadClaims()
    {
        var claims = new List<Claim>();
        foreach (var name in ClaimNames)
        {
            if (!Root.TryGetProperty(name, out var value)) continue;
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            claims.Add(new Claim(name, text, value.ValueKind == JsonValueKind.Number ? ClaimValueTypes.Integer64 : ClaimValueTypes.String));
        }
        foreach (var audience in Audiences) claims.Add(new Claim("aud", audience));
        // One claim per role and per sign-in method, as a JWT's arrays become (the API asked Tessera for its users' roles).
        foreach (var array in new[] { TesseraDefaults.RoleClaim, "amr" })
        {
            if (!Root.TryGetProperty(array, out var values) || values.ValueKind != JsonValueKind.Array) continue;
            foreach (var value in values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String))
                claims.Add(new Claim(array, value.GetString()!));
        }
        return [.. claims];
    }
}
