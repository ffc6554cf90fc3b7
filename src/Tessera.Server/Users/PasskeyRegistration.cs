using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>
/// Identity's passkey handler and its options: the relying party is the issuer's host, only the issuer's own origin
/// may answer (no iframe of another site), every passkey verifies its user (a PIN or biometric) and is discoverable, so
/// it can sign in without a username.
/// </summary>
internal static class PasskeyRegistration
{
    public static IServiceCollection AddTesseraPasskeys(this IServiceCollection services)
    {
        services.TryAddScoped<IPasskeyHandler<TesseraUser>, PasskeyHandler<TesseraUser>>();
        services.AddSingleton<PasskeyCeremonies>();
        services.AddSingleton<PasskeyLastUses>();
        services.AddOptions<IdentityPasskeyOptions>().Configure<IssuerUrls>((passkeys, urls) =>
        {
            var issuer = new Uri(urls.Issuer);
            var origin = issuer.GetLeftPart(UriPartial.Authority);
            // WebAuthn §5.1.3: the RP ID is a domain; behind a proxy the request's Host is not trusted for it.
            passkeys.ServerDomain = issuer.Host;
            passkeys.ValidateOrigin = context => ValueTask.FromResult(!context.CrossOrigin && string.Equals(context.Origin, origin, StringComparison.Ordinal));
            passkeys.UserVerificationRequirement = "required";
            passkeys.ResidentKeyRequirement = "required";
            passkeys.AuthenticatorTimeout = PasskeyCeremonies.Lifetime;
        });
        return services;
    }
}
