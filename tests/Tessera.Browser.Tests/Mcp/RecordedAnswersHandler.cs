using System.Net;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>Under the MCP SDK's HTTP transport: keeps the status and challenge of every answer, which the SDK does not surface.</summary>
public sealed class RecordedAnswersHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<(HttpStatusCode Status, string? Challenge)> _answers = [];

    public IReadOnlyList<(HttpStatusCode Status, string? Challenge)> Answers { get { lock (_answers) return [.. _answers]; } }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.WwwAuthenticate);
        lock (_answers) _answers.Add((response.StatusCode, challenge));
        return response;
    }
}
