using System.Net;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>The issuer's introspection endpoint answers 503 once (a restart, a bad deploy), then as usual.</summary>
public sealed class IssuerDownOnce(HttpMessageHandler issuer) : DelegatingHandler(issuer)
{
    private int _failed;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.RequestUri!.AbsolutePath.EndsWith("/connect/introspect", StringComparison.Ordinal) && Interlocked.Exchange(ref _failed, 1) == 0
            ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))
            : base.SendAsync(request, cancellationToken);
}
