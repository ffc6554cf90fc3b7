using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Events;

public sealed class ForbiddenContext(HttpContext context, AuthenticationScheme scheme, TesseraOptions options, AuthenticationProperties properties)
    : PropertiesContext<TesseraOptions>(context, scheme, options, properties)
{
    /// <summary>The scopes the refused request needed (RFC 6750 §3.1 "scope"), when a scope policy refused it.</summary>
    public string? RequiredScope { get; set; }
    public bool Handled { get; private set; }

    public void HandleResponse() => Handled = true;
}
