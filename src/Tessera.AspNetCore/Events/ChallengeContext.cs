using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Events;

public sealed class ChallengeContext(HttpContext context, AuthenticationScheme scheme, TesseraOptions options, AuthenticationProperties properties)
    : PropertiesContext<TesseraOptions>(context, scheme, options, properties)
{
    /// <summary>RFC 6750 §3.1 error code: "invalid_token" when a token was refused, null when none was sent.</summary>
    public string? Error { get; set; }
    public string? ErrorDescription { get; set; }

    /// <summary>RFC 9470 §3: with insufficient_user_authentication, the acr values that would do.</summary>
    public string? AcrValues { get; set; }
    public bool Handled { get; private set; }

    /// <summary>The event wrote the response itself; the handler writes nothing.</summary>
    public void HandleResponse() => Handled = true;
}
