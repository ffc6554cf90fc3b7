using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Events;

public sealed class AuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, TesseraOptions options, string failure)
    : ResultContext<TesseraOptions>(context, scheme, options)
{
    /// <summary>Why the token was refused (safe to log: it never contains the token).</summary>
    public string Failure { get; } = failure;
}
