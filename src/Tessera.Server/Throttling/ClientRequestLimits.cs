using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Throttling;

/// <summary>
/// Optional request rates per client on the token and introspection endpoints (per node), off by default: a busy
/// service legitimately calls them thousands of times a second. When a limit is off, no filter is attached to the
/// endpoint at all, so the token path pays nothing for the feature.
/// </summary>
/// <remarks>
/// The partition is the client_id the request names (HTTP Basic user name, else the client_id form field, else one
/// shared partition for assertions without client_id): known before the client is authenticated, and cheap. Naming
/// another client only spends that client's per-node budget of refused requests, never its credentials.
/// </remarks>
internal sealed class ClientRequestLimits(IOptions<TesseraOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _token = Create(options.Value.RateLimits.TokenRequestsPerClient);
    private readonly PartitionedRateLimiter<string>? _introspection = Create(options.Value.RateLimits.IntrospectionRequestsPerClient);

    public PartitionedRateLimiter<string>? Token => _token;
    public PartitionedRateLimiter<string>? Introspection => _introspection;

    private static PartitionedRateLimiter<string>? Create(WindowLimit limit) => !limit.IsOn ? null
        : PartitionedRateLimiter.Create<string, string>(clientId =>
            RateLimitPartition.GetFixedWindowLimiter(clientId, _ => RequestRateLimits.FixedWindow(limit)));

    public void Dispose()
    {
        _token?.Dispose();
        _introspection?.Dispose();
    }
}

internal static class ClientRequestLimitFilter
{
    /// <summary>Adds the per-client limit to a protocol endpoint when <paramref name="limiter"/> is on; else nothing.</summary>
    public static RouteHandlerBuilder LimitedPerClient(this RouteHandlerBuilder endpoint, PartitionedRateLimiter<string>? limiter, int maxFormBytes)
    {
        if (limiter is null) return endpoint;
        return endpoint.AddEndpointFilter(async (invocation, next) =>
        {
            var request = invocation.HttpContext.Request;
            string clientId;
            if (BasicUserName(request.Headers.Authorization.ToString()) is { } basic)
            {
                clientId = basic;
            }
            else
            {
                // The same size-limited read the endpoint does; the form is read once and kept for it.
                var form = await ProtocolForm.ReadAsync(request, maxFormBytes);
                if (form.Failed) return ProtocolResults.Error(form.Error);
                clientId = form.Value[Parameters.ClientId] ?? "";
            }

            using var lease = limiter.AttemptAcquire(clientId);
            if (lease.IsAcquired) return await next(invocation);
            var seconds = TooManyRequests.Seconds(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
            TooManyRequests.SetRetryAfter(invocation.HttpContext.Response, seconds);
            return ProtocolResults.Error(TooManyRequests.ProtocolError(seconds));
        });
    }

    /// <summary>RFC 6749 §2.3.1: the form-urlencoded client_id of HTTP Basic credentials; null when there are none.</summary>
    private static string? BasicUserName(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header[6..].Trim(), decoded, out var length)) return "";
        var credentials = Encoding.UTF8.GetString(decoded[..length]);
        var colon = credentials.IndexOf(':');
        return colon < 0 ? "" : Uri.UnescapeDataString(credentials[..colon].Replace('+', ' '));
    }
}
