using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Events;

public sealed class TokenValidatedContext(HttpContext context, AuthenticationScheme scheme, TesseraOptions options, string token)
    : ResultContext<TesseraOptions>(context, scheme, options)
{
    public string Token { get; } = token;
}
