using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Events;

public sealed class MessageReceivedContext(HttpContext context, AuthenticationScheme scheme, TesseraOptions options)
    : ResultContext<TesseraOptions>(context, scheme, options)
{
    /// <summary>The token to validate instead of the one in the request.</summary>
    public string? Token { get; set; }
}
