using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.ExternalIdentities;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Where a provider's callback lands once the handler has checked state, code and tokens: reads the temporary external
/// cookie, maps the identity to a local user (or links it to the signed-in one), starts the session and continues
/// with the return URL (an authorization request goes on where it stopped).
/// </summary>
internal sealed class ExternalDoneModel(
    SignInManager<TesseraUser> signIn, UserManager<TesseraUser> users, ExternalAccounts accounts,
    IOptions<TesseraOptions> options, ErrorPages errors, TimeProvider clock, SignInEvents events, IStringLocalizer<PageText> text) : PageModel
{
    public async Task<IActionResult> OnGetAsync()
    {
        var result = await HttpContext.AuthenticateAsync(IdentityConstants.ExternalScheme);
        // The external cookie is single-use: whatever happens next, it goes.
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!result.Succeeded || result.Properties is null
            || !result.Properties.Items.TryGetValue(ExternalModel.ProviderItem, out var provider) || provider is null
            || !options.Value.ExternalProviders.TryGetValue(provider, out var settings))
        {
            return Redirect(errors.Link(OAuthError.InvalidRequest(text["The sign-in through the external provider has expired or was not started here. Start again from the sign-in page."])));
        }

        var providerTokens = ProviderTokens.FromSignIn(result.Properties, ExternalAuthentication.Scopes(settings, []));
        result.Properties.Items.TryGetValue(ExternalModel.ReturnUrlItem, out var returnUrl);

        if (result.Properties.Items.TryGetValue(ExternalModel.LinkUserItem, out var linkUserId) && linkUserId is not null)
        {
            // Link only to the user who started the link and is still signed in here.
            var current = await users.GetUserAsync(User);
            if (current is null || current.Id != linkUserId)
                return Redirect(errors.Link(OAuthError.AccessDenied(text["Sign in again, then link the identity from your account page."])));
            var linked = await accounts.LinkAsync(current, provider, result.Principal!, providerTokens);
            if (linked.Failed) return Redirect(errors.Link(linked.Error));
            return RedirectToPage("/Account/Identities", new { linked = provider });
        }

        var outcome = await accounts.SignInAsync(provider, result.Principal!, providerTokens);
        if (outcome.Failed)
        {
            events.Failed(HttpContext, null, null, Telemetry.SignInOutcomes.External);
            return Redirect(errors.Link(outcome.Error));
        }
        if (await users.IsLockedOutAsync(outcome.Value))
        {
            events.Locked(HttpContext, outcome.Value, null, Telemetry.SignInOutcomes.External);
            return Redirect(errors.Link(OAuthError.AccessDenied(text["This account is locked. Try again later."])));
        }

        // A second factor required (Tessera:Mfa:Required always, or the user's requireMfa): the provider's sign-in is the
        // first factor, and the second is asked here as after a password.
        if (SecondFactorRequirement.AppliesTo(outcome.Value, options.Value.Mfa))
        {
            await HttpContext.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, SecondFactorPending.For(outcome.Value, "fed", provider));
            return await SecondFactors.HasAnyAsync(users, outcome.Value)
                ? RedirectToPage("/Account/TwoFactor", new { returnUrl })
                : RedirectToPage("/Account/SecondFactorSetup", new { returnUrl });
        }
        await signIn.SignInWithClaimsAsync(outcome.Value, isPersistent: false, SessionClaims.ForExternalSignIn(clock, provider));
        events.Succeeded(HttpContext, outcome.Value, Telemetry.SignInOutcomes.External);
        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage("/Account/SignedIn");
    }
}
