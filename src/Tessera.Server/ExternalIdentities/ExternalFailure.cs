using Microsoft.AspNetCore.Authentication;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// A provider's error (denied consent, a state or correlation that does not match, an unreachable provider) ends on
/// the error page with a message the user can act on. Nothing is created before the callback succeeds.
/// </summary>
internal static partial class ExternalFailure
{
    public static Task HandleAsync(RemoteFailureContext context)
    {
        var provider = context.Scheme.DisplayName ?? context.Scheme.Name;
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.ExternalSignIn");
        Log.SignInFailed(logger, context.Scheme.Name, context.Failure?.Message);

        var error = Describe(context.Failure, provider);
        context.Response.Redirect(context.HttpContext.RequestServices.GetRequiredService<ErrorPages>().Link(error));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static OAuthError Describe(Exception? failure, string provider)
    {
        var message = failure?.Message ?? "";
        if (failure is AuthenticationFailureException { InnerException: HttpRequestException } || failure is HttpRequestException
            || failure?.InnerException is HttpRequestException or TaskCanceledException)
            return new OAuthError("temporarily_unavailable", $"{provider} could not be reached. Try again later.");
        // RFC 6749 §4.1.2.1 access_denied; WeChat instead comes back with the state and no code when the user declines.
        if (message.Contains("access_denied", StringComparison.Ordinal) || message.Contains("Code was not found", StringComparison.Ordinal))
            return OAuthError.AccessDenied($"You did not allow {provider} to sign you in.");
        // RFC 6749 §10.12: a callback whose state does not belong to this browser is refused (CSRF on the redirect URI).
        if (message.Contains("Correlation failed", StringComparison.Ordinal) || message.Contains("state", StringComparison.OrdinalIgnoreCase))
            return OAuthError.InvalidRequest($"The answer from {provider} could not be matched to a sign-in started in this browser. Start again from the sign-in page.");
        return new OAuthError("server_error", $"Signing in with {provider} did not succeed.");
    }
}
