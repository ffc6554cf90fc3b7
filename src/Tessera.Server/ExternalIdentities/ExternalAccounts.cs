using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// Maps an external identity to a local user: an existing link; else a link by e-mail when the provider vouches for the
/// address and the operator allowed it; else a new user (just-in-time). Each path writes the user, the link
/// (Identity's <c>AspNetUserLogins</c>) and the provider tokens in one transaction, so a failure leaves nothing behind.
/// </summary>
internal sealed partial class ExternalAccounts(
    UserManager<TesseraUser> users, TesseraDbContext db, ProviderTokens tokens, IOptions<TesseraOptions> options, ILogger<ExternalAccounts> logger)
{
    /// <summary>A disabled user signs in no way at all; the same words as any refused sign-in.</summary>
    private static OAuthError Disabled() => OAuthError.AccessDenied("The sign-in was refused.");

    /// <summary>What an external sign-in came to: the local user to sign in, or the reason to stop.</summary>
    public async Task<Outcome<TesseraUser>> SignInAsync(string provider, ClaimsPrincipal external, ProviderTokenSet? providerTokens)
    {
        var key = ExternalClaims.SubjectOf(external);
        if (string.IsNullOrEmpty(key) || !options.Value.ExternalProviders.TryGetValue(provider, out var settings))
            return OAuthError.InvalidRequest("The provider did not say who you are.");

        if (await users.FindByLoginAsync(provider, key) is { } linked)
        {
            if (linked.DisabledAt is not null) return Disabled();
            await InTransactionAsync(() => StoreTokensAsync(linked, provider, providerTokens));
            return linked;
        }

        var email = external.FindFirstValue(ExternalClaims.Email);
        // OIDC Core §5.1: email_verified says the provider checked the address; without it the address proves nothing.
        var verified = string.Equals(external.FindFirstValue(ExternalClaims.EmailVerified), "true", StringComparison.OrdinalIgnoreCase);
        // Only a confirmed local address counts as someone's: an unconfirmed one (self-registration) proves nothing and
        // must not block, or capture, the sign-in of the address's real owner. Two confirmed accounts: no guessing.
        List<TesseraUser> sameEmail = string.IsNullOrEmpty(email) ? [] : await ConfirmedUsersWithEmailAsync(email);
        if (sameEmail.Count > 1)
            return new OAuthError("account_exists",
                $"More than one account has this e-mail address. Sign in with your password first, then link {settings.DisplayName ?? provider} on your account page.");
        if (sameEmail is [var owner])
        {
            if (owner.DisabledAt is not null) return Disabled();
            // Both sides must vouch for the address, or whoever holds one side's account takes over the other's.
            if (!(settings.LinkByVerifiedEmail && verified))
                return new OAuthError("account_exists",
                    $"An account with this e-mail address already exists. Sign in with your password first, then link {settings.DisplayName ?? provider} on your account page.");
            await InTransactionAsync(async () =>
            {
                Check(await users.AddLoginAsync(owner, new UserLoginInfo(provider, key, settings.DisplayName ?? provider)));
                await StoreTokensAsync(owner, provider, providerTokens);
            });
            Log.LinkedByVerifiedEmail(logger, provider, owner.Id);
            return owner;
        }

        if (!settings.CreateUsers)
            return OAuthError.AccessDenied($"No account is linked to this {settings.DisplayName ?? provider} identity.");
        var user = new TesseraUser
        {
            UserName = provider + "-" + SecretGenerator.NewSecret(6).ToLowerInvariant().Replace('_', '-'),
            Name = external.FindFirstValue(ExternalClaims.Name) ?? external.FindFirstValue(ExternalClaims.PreferredUsername),
            Email = verified ? email : null,
            EmailConfirmed = verified && email is not null,
        };
        await InTransactionAsync(async () =>
        {
            Check(await users.CreateAsync(user));
            Check(await users.AddLoginAsync(user, new UserLoginInfo(provider, key, settings.DisplayName ?? provider)));
            await StoreTokensAsync(user, provider, providerTokens);
        });
        Log.UserCreated(logger, user.Id, provider);
        return user;
    }

    /// <summary>Links the identity to the signed-in user (the account page's "Link" button).</summary>
    public async Task<Outcome<Checked>> LinkAsync(TesseraUser user, string provider, ClaimsPrincipal external, ProviderTokenSet? providerTokens)
    {
        var key = ExternalClaims.SubjectOf(external);
        if (string.IsNullOrEmpty(key) || !options.Value.ExternalProviders.TryGetValue(provider, out var settings)) return OAuthError.AccessDenied("The provider did not say who you are.");
        var owner = await users.FindByLoginAsync(provider, key);
        if (owner is not null && owner.Id != user.Id) return OAuthError.AccessDenied("This identity is already linked to another account.");
        await InTransactionAsync(async () =>
        {
            if (owner is null) Check(await users.AddLoginAsync(user, new UserLoginInfo(provider, key, settings.DisplayName ?? provider)));
            await StoreTokensAsync(user, provider, providerTokens);
        });
        Log.Linked(logger, provider, user.Id);
        return Checked.Passed;
    }

    /// <summary>At most two: one is an owner, two are too many to choose from.</summary>
    private async Task<List<TesseraUser>> ConfirmedUsersWithEmailAsync(string email)
    {
        var normalized = users.NormalizeEmail(email);
        return await users.Users.Where(u => u.NormalizedEmail == normalized && u.EmailConfirmed).Take(2).ToListAsync();
    }

    private async Task StoreTokensAsync(TesseraUser user, string provider, ProviderTokenSet? providerTokens)
    {
        if (providerTokens is not null) await tokens.SaveAsync(user, provider, providerTokens);
    }

    private async Task InTransactionAsync(Func<Task> work)
    {
        // The Identity store writes through this same scoped context, so one database transaction covers every step.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work();
        await transaction.CommitAsync();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Identity refused: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
