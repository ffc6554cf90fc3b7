using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Validators;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// Microsoft's common and organizations endpoints issue ID tokens from each tenant's own issuer
/// (<c>https://login.microsoftonline.com/{tid}/v2.0</c>): the issuer must be that template filled with the token's own
/// <c>tid</c> (Microsoft.IdentityModel.Validators' AadIssuerValidator), and the tenant one the operator allows
/// (<c>AllowedTenants</c>; empty: any tenant).
/// </summary>
internal static class MicrosoftTenantIssuer
{
    public static IssuerValidator Create(string authority, IReadOnlyCollection<string> allowedTenants, HttpClient? metadataClient = null)
    {
        var aad = metadataClient is null ? AadIssuerValidator.GetAadIssuerValidator(authority) : AadIssuerValidator.GetAadIssuerValidator(authority, metadataClient);
        var allowed = allowedTenants.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (issuer, token, parameters) =>
        {
            // Throws SecurityTokenInvalidIssuerException when the issuer is not the tenant template filled with tid.
            var validated = aad.Validate(issuer, token, parameters);
            if (allowed.Count > 0 && !(token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tenant) && allowed.Contains(tenant)))
                throw new SecurityTokenInvalidIssuerException("the Microsoft tenant of this account is not allowed to sign in here");
            return validated;
        };
    }
}
