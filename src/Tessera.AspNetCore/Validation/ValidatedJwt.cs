using System.ComponentModel;
using System.Security.Claims;

namespace Tessera.AspNetCore.Validation;

/// <summary>
/// The claims of a JWT that passed every check, as cached: one entry per claim, in the token's order. The issuer and
/// the string value type are written once, not per claim (they are the same for nearly all), to keep the entry small.
/// </summary>
/// <remarks>Immutable for HybridCache: the memory cache hands out this instance, not a copy made per request.</remarks>
[ImmutableObject(true)]
internal sealed record ValidatedJwt(string Issuer, IReadOnlyList<ValidatedJwt.Entry> Entries)
{
    /// <param name="ValueType">Null for <see cref="ClaimValueTypes.String"/>.</param>
    /// <param name="Issuer">Null for the token's issuer.</param>
    public sealed record Entry(string Type, string Value, string? ValueType = null, string? Issuer = null);

    public static ValidatedJwt Of(ClaimsIdentity identity)
    {
        var claims = identity.Claims.ToList();
        var issuer = claims.Count > 0 ? claims[0].Issuer : ClaimsIdentity.DefaultIssuer;
        return new(issuer, [.. claims.Select(c => new Entry(c.Type, c.Value,
            c.ValueType == ClaimValueTypes.String ? null : c.ValueType, c.Issuer == issuer ? null : c.Issuer))]);
    }

    private Claim[]? _claims;

    /// <summary>The claims are made once per cached entry, then copied into each request's identity.</summary>
    public ClaimsIdentity ToIdentity(string authenticationType) =>
        new(_claims ??= [.. Entries.Select(e => new Claim(e.Type, e.Value, e.ValueType ?? ClaimValueTypes.String, e.Issuer ?? Issuer))],
            authenticationType, TesseraDefaults.SubjectClaim, TesseraDefaults.RoleClaim);
}
