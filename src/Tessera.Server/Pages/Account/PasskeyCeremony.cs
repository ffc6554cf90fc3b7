using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Both WebAuthn ceremonies through Identity's passkey handler (.NET 10): the options for navigator.credentials.create
/// or .get, then the browser's answer checked against the state the options began. Identity verifies the signature,
/// origin, RP ID hash, challenge, user verification and the sign count; this class keeps each challenge usable once
/// (<see cref="PasskeyCeremonies"/>) and bound to its purpose and user.
/// </summary>
internal sealed class PasskeyCeremony(
    IPasskeyHandler<TesseraUser> handler, PasskeyCeremonies ceremonies, PasskeyLastUses lastUses, UserManager<TesseraUser> users, IssuerUrls urls, TimeProvider clock,
    ILogger<PasskeyCeremony> logger)
{
    /// <summary>Options to register a new passkey for <paramref name="user"/> (its existing passkeys excluded).</summary>
    public async Task<ContentResult> CreationOptionsAsync(HttpContext context, TesseraUser user)
    {
        var entity = new PasskeyUserEntity { Id = user.Id, Name = user.UserName!, DisplayName = user.Name ?? user.UserName! };
        var options = await handler.MakeCreationOptionsAsync(entity, context);
        await BeginAsync(context, PasskeyCeremonyKinds.Registration, user.Id, options.AttestationState ?? throw new InvalidOperationException("no attestation state"));
        return Json(options.CreationOptionsJson);
    }

    /// <summary>The new passkey, when the answer finishes a registration this user began here; null otherwise.</summary>
    public async Task<UserPasskeyInfo?> RegisterAsync(HttpContext context, TesseraUser user, string? credentialJson)
    {
        var state = await ceremonies.FinishAsync(PasskeyCeremonyCookie.Take(context, urls), PasskeyCeremonyKinds.Registration, user.Id);
        if (state is not null && !string.IsNullOrEmpty(credentialJson))
        {
            var result = await handler.PerformAttestationAsync(new PasskeyAttestationContext
            {
                CredentialJson = credentialJson, AttestationState = state, HttpContext = context,
            });
            if (result.Succeeded && result.UserEntity.Id == user.Id) return result.Passkey;
        }
        AccountSecurityLog.PasskeyRefused(logger, PasskeyCeremonyKinds.Registration);
        return null;
    }

    /// <summary>
    /// Options to sign in: for anyone (a discoverable credential picks the account) when <paramref name="user"/> is null,
    /// else for that user's passkeys only (the second step after a password).
    /// </summary>
    public async Task<ContentResult> RequestOptionsAsync(HttpContext context, TesseraUser? user)
    {
        var options = await handler.MakeRequestOptionsAsync(user, context);
        var kind = user is null ? PasskeyCeremonyKinds.SignIn : PasskeyCeremonyKinds.SecondFactor;
        await BeginAsync(context, kind, user?.Id, options.AssertionState ?? throw new InvalidOperationException("no assertion state"));
        return Json(options.RequestOptionsJson);
    }

    /// <summary>
    /// The user and passkey the answer proves, when it finishes a ceremony of the same kind (and, for a second factor,
    /// the same user) begun here; the passkey's sign count and last use are saved. Null otherwise.
    /// </summary>
    public async Task<(TesseraUser User, UserPasskeyInfo Passkey)?> SignInAsync(HttpContext context, TesseraUser? expected, string? credentialJson)
    {
        var kind = expected is null ? PasskeyCeremonyKinds.SignIn : PasskeyCeremonyKinds.SecondFactor;
        var state = await ceremonies.FinishAsync(PasskeyCeremonyCookie.Take(context, urls), kind, expected?.Id);
        var result = state is null || string.IsNullOrEmpty(credentialJson) ? null : await handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            CredentialJson = credentialJson, AssertionState = state, HttpContext = context,
        });
        if (result is not { Succeeded: true, User: { } user } || (expected is not null && user.Id != expected.Id))
        {
            // No ceremony (replayed, expired, another kind or user), or Identity's checks failed: the same refusal.
            AccountSecurityLog.PasskeyRefused(logger, kind);
            return null;
        }
        // The new sign count (a cloned authenticator shows itself by going backwards) and when it was used.
        await users.AddOrUpdatePasskeyAsync(user, result.Passkey);
        await lastUses.RecordAsync(user.Id, result.Passkey.CredentialId, clock.GetUtcNow().ToUnixTimeSeconds());
        return (user, result.Passkey);
    }

    private async Task BeginAsync(HttpContext context, string kind, string? userId, string state) =>
        PasskeyCeremonyCookie.Set(context, urls, await ceremonies.BeginAsync(kind, userId, state, context.RequestAborted));

    private static ContentResult Json(string json) => new() { Content = json, ContentType = "application/json", StatusCode = 200 };
}
