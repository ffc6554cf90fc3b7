using System.ComponentModel;
using System.Security.Claims;

namespace Tessera.AspNetCore.Validation;

/// <summary>The claims of a JWT that passed every check, as cached: one entry per claim, in the token's order.</summary>
/// <remarks>Immutable for HybridCache: the memory cache hands out this instance, not a copy made per request.</remarks>
[ImmutableObject(true)]
internal sealed record ValidatedJwt(IReadOnlyList<ValidatedJwt.Entry> Entries)
{
    public sealed record Entry(string Type, string Value, string ValueType, string Issuer);

    public static ValidatedJwt Of(ClaimsIdentity identity) => new([.. identity.Claims.Select(c => new Entry(c.Type, c.Value, c.ValueType, c.Issuer))]);

    private Claim[]? _claims;

    /// <summary>The claims are made once per cached entry, then copied into each request's identity.</summary>
    public ClaimsIdentity ToIdentity(string authenticationType) =>
        new(_claims ??= [.. Entries.Select(e => new Claim(e.Type, e.Value, e.ValueType, e.Issuer))], authenticationType, TesseraDefaults.SubjectClaim, "role");
}
