using System.Net.Http.Headers;
using System.Net.Http.Json;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>Calls the personal-access-token API the way the CLI does: a user's tessera:pats access token as a Bearer credential.</summary>
public static class PatApi
{
    /// <summary>Alice signs in at the web client and gets an access token for the PAT API.</summary>
    public static async Task<string> AliceTokenAsync(TesseraServer server, ProtocolClient protocol) =>
        (await CodeFlow.WebTokensAsync(server, protocol, "tessera:pats")).AccessToken;

    /// <summary>A new user (made through the admin API) signs in on the device page for the cli client: their PAT-API token.</summary>
    public static async Task<string> NewUserTokenAsync(TesseraServer server, ProtocolClient protocol) =>
        (await NewUserAsync(server, protocol)).Token;

    /// <summary>As <see cref="NewUserTokenAsync"/>, with the new user's username.</summary>
    public static async Task<(string Username, string Token)> NewUserAsync(TesseraServer server, ProtocolClient protocol)
    {
        var username = "pat-user-" + Guid.NewGuid().ToString("n")[..8];
        const string password = "Pat-user-pass-1";
        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/users") { Content = JsonContent.Create(new { username, password }) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminApi.TokenAsync(protocol));
        var created = await protocol.SendAsync(create);
        if (created.Status != 201) throw new InvalidOperationException(created.Json.ToJsonString());
        var device = await DeviceFlow.AuthorizeAsync(protocol, "tessera:pats");
        using var browser = new Browser(server);
        var confirmation = await DeviceFlow.EnterAsync(browser, await DeviceFlow.OpenAsync(browser, username: username, password: password), DeviceFlow.UserCode(device));
        await DeviceFlow.DecideAsync(browser, confirmation, "allow");
        return (username, (await DeviceFlow.PollAsync(protocol, DeviceFlow.DeviceCode(device))).AccessToken);
    }

    public static Task<ProtocolResponse> CreateAsync(ProtocolClient protocol, string? bearer, object body) =>
        protocol.SendAsync(Request(HttpMethod.Post, "/api/pats", bearer, JsonContent.Create(body)));

    public static Task<ProtocolResponse> ListAsync(ProtocolClient protocol, string? bearer) =>
        protocol.SendAsync(Request(HttpMethod.Get, "/api/pats", bearer));

    public static Task<ProtocolResponse> RevokeAsync(ProtocolClient protocol, string? bearer, string id) =>
        protocol.SendAsync(Request(HttpMethod.Delete, "/api/pats/" + Uri.EscapeDataString(id), bearer));

    private static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }
}
