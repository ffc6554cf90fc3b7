using Microsoft.Extensions.Localization;

namespace Tessera.Server.Pages;

/// <summary>
/// The sentence a person reads first on the error page, by OAuth error code, in the page's language; the protocol's own
/// description and code follow in small print for whoever has to fix it. (Issue 20: a human sentence first.)
/// </summary>
internal static class ErrorSentences
{
    public static string For(string? code, IStringLocalizer<PageText> text) => code switch
    {
        "invalid_client" or "unauthorized_client" => text["The application that sent you here is not known to this sign-in service, or may not sign you in this way."],
        "invalid_request_uri" => text["This sign-in link has expired or was already used. Go back to the application and start again."],
        "invalid_request_object" => text["The application's signed request could not be verified, so it was not followed."],
        "access_denied" => text["Access was not granted."],
        "temporarily_unavailable" => text["The sign-in service cannot finish this right now. Try again in a moment."],
        "login_required" or "interaction_required" or "consent_required" => text["You need to sign in or approve the application first."],
        _ => text["The application sent a request this sign-in service cannot accept."],
    };
}
