using System.Net.Http.Headers;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>Calls the admin API the way an operator's tool would: a tessera:admin access token as a Bearer credential.</summary>
public static class AdminApi
{
    public static async Task<string> TokenAsync(ProtocolClient protocol) =>
        (await protocol.ClientCredentialsAsync(TestClients.Admin, AdminSecret, "tessera:admin")).AccessToken;

    public static Task<ProtocolResponse> GetAsync(ProtocolClient protocol, string path, string? token) =>
        protocol.SendAsync(Request(HttpMethod.Get, path, token));

    public static Task<ProtocolResponse> PostAsync(ProtocolClient protocol, string path, string? token) =>
        protocol.SendAsync(Request(HttpMethod.Post, path, token));

    public static async Task<ProtocolResponse> SendJsonAsync(ProtocolClient protocol, HttpMethod method, string path, object? body = null)
    {
        using var request = Request(method, path, await TokenAsync(protocol));
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
        return await protocol.SendAsync(request);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
