using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Forwarding;

/// <summary>
/// Passes the identity token this request was authenticated with on to the next service, in the identity header,
/// so the user's identity flows through the chain. Only a token a Tessera scheme accepted is forwarded, never a
/// header as it arrived.
/// </summary>
public sealed class IdentityForwardingHandler(IHttpContextAccessor accessor, string header = TesseraDefaults.IdentityHeader) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(header);
        var token = accessor.HttpContext?.Features.Get<TesseraTokenFeature>()?.Token;
        if (token is not null) request.Headers.TryAddWithoutValidation(header, token);
        return base.SendAsync(request, cancellationToken);
    }
}
