using System.Globalization;
using System.Net;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Throttling;

/// <summary>
/// The one answer to a throttled request: 429 with <c>Retry-After</c> in seconds (RFC 9110 §10.2.3, RFC 6585 §4);
/// protocol endpoints answer an OAuth error body, pages a short readable page.
/// </summary>
internal static class TooManyRequests
{
    /// <summary>
    /// RFC 6749 §5.2 has no error code for "rate limited", and <c>slow_down</c> (RFC 8628 §3.5) tells a polling device
    /// to add five seconds to its interval — wrong advice for any other request. <c>invalid_request</c> is the generic
    /// code every client understands; the 429 status and <c>Retry-After</c> carry the meaning.
    /// </summary>
    public static OAuthError ProtocolError(int retryAfterSeconds) =>
        new("invalid_request", $"too many requests; retry after {retryAfterSeconds} seconds", StatusCodes.Status429TooManyRequests);

    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static void SetRetryAfter(HttpResponse response, int seconds) =>
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

    public static async Task WriteAsync(HttpContext context, int retryAfterSeconds)
    {
        var response = context.Response;
        SetRetryAfter(response, retryAfterSeconds);
        if (context.GetEndpoint()?.Metadata.GetMetadata<PageSecurityHeaders.Marker>() is null)
        {
            await ProtocolResults.Error(ProtocolError(retryAfterSeconds)).ExecuteAsync(context);
            return;
        }

        response.StatusCode = StatusCodes.Status429TooManyRequests;
        PageSecurityHeaders.Apply(response, formTarget: null);
        response.ContentType = "text/html; charset=utf-8";
        var message = WebUtility.HtmlEncode($"Too many requests. Try again in {retryAfterSeconds} seconds.");
        await response.WriteAsync($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many requests</title></head><body><main><h1>Too many requests</h1><p>{message}</p></main></body></html>");
    }
}
