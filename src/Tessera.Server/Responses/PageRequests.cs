using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Responses;

/// <summary>
/// Whether a request comes from a person's browser asking for a page: a GET or HEAD that accepts text/html. Only such a
/// request ever gets an error page instead of the plain answer; an API client (no Accept, JSON, any POST) keeps the
/// protocol's own status and body.
/// </summary>
public static class PageRequests
{
    public static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
}
