using System.Net;
using Duende.IdentityModel.Client;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>
/// Under the MCP SDK's HTTP transport: every request it sends carries <c>Authorization: DPoP &lt;token&gt;</c> and a fresh
/// proof of the client's key for that method and URL, with <c>ath</c> (RFC 9449 §7.1, §4.2) — the SDK's own OAuth
/// support speaks Bearer only. Keeps the status and challenge of every answer, which the SDK does not surface.
/// </summary>
public sealed class DpopCallsHandler(DpopKey key) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<(HttpStatusCode Status, string? Challenge)> _answers = [];

    /// <summary>The token the next requests carry; a test swaps it after stepping up.</summary>
    public string AccessToken { get; set; } = "";

    public IReadOnlyList<(HttpStatusCode Status, string? Challenge)> Answers { get { lock (_answers) return [.. _answers]; } }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // §4.2 htu: the request URI without query and fragment.
        var htu = request.RequestUri!.GetLeftPart(UriPartial.Path);
        request.SetDPoPToken(AccessToken, key.Proof(request.Method.Method, htu, AccessToken));
        var response = await base.SendAsync(request, cancellationToken);
        var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.WwwAuthenticate);
        lock (_answers) _answers.Add((response.StatusCode, challenge));
        return response;
    }
}
