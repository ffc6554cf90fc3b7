using System.Collections.Concurrent;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>Counts the API's real requests to the issuer by path (discovery, JWKS, introspection); it changes nothing.</summary>
public sealed class RequestCounter() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public int this[string pathSuffix] => _counts.Where(c => c.Key.EndsWith(pathSuffix, StringComparison.Ordinal)).Sum(c => c.Value);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _counts.AddOrUpdate(request.RequestUri!.AbsolutePath, 1, (_, n) => n + 1);
        return base.SendAsync(request, cancellationToken);
    }
}
