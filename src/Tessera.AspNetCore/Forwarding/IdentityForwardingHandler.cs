using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Forwarding;

/// <summary>
/// Passes the identity token this request was authenticated with on to the next service, in the identity header,
/// so the user's identity flows through the chain. Only a token a Tessera scheme accepted is forwarded, never a
/// header as it arrived, and only to the client's own service (its base address): every service of the chain accepts
/// that token, so a request to any other host would hand it to whoever runs that host.
/// </summary>
public sealed class IdentityForwardingHandler(IHttpContextAccessor accessor, ForwardingTarget target, string header = TesseraDefaults.IdentityHeader) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(header);
        var token = accessor.HttpContext?.Features.Get<TesseraTokenFeature>()?.Token;
        if (token is not null && target.Allows(request.RequestUri)) request.Headers.TryAddWithoutValidation(header, token);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The one origin (scheme, host, port) an HTTP client forwards identity tokens to: its base address.</summary>
public sealed class ForwardingTarget
{
    public Uri? Origin { get; set; }

    public bool Allows(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && Origin is { } origin
        && Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
