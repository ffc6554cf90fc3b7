using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Tessera.Testing;

/// <summary>An HTTP response from a protocol endpoint with its JSON body parsed.</summary>
public sealed record ProtocolResponse(HttpResponseMessage Http, JsonObject Json)
{
    public int Status => (int)Http.StatusCode;
    public string? Error => (string?)Json["error"];
    public string? ErrorDescription => (string?)Json["error_description"];
    public string AccessToken => (string?)Json["access_token"] ?? throw new InvalidOperationException($"no access_token in {Json.ToJsonString()}");
    public bool Active => (bool?)Json["active"] ?? throw new InvalidOperationException($"no 'active' in {Json.ToJsonString()}");
}

/// <summary>Talks to the token, introspection and revocation endpoints the way any OAuth client would.</summary>
public sealed class ProtocolClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public Task<ProtocolResponse> TokenAsync(string clientId, string secret, params (string Name, string Value)[] parameters) =>
        PostAsync("/connect/token", Basic(clientId, secret), parameters);

    public Task<ProtocolResponse> ClientCredentialsAsync(string clientId, string secret, string? scope = null, string? resource = null)
    {
        var parameters = new List<(string, string)> { ("grant_type", "client_credentials") };
        if (scope is not null) parameters.Add(("scope", scope));
        if (resource is not null) parameters.Add(("resource", resource));
        return TokenAsync(clientId, secret, [.. parameters]);
    }

    public Task<ProtocolResponse> IntrospectAsync(string clientId, string secret, string token) =>
        PostAsync("/connect/introspect", Basic(clientId, secret), ("token", token));

    public Task<ProtocolResponse> RevokeAsync(string clientId, string secret, string token) =>
        PostAsync("/connect/revoke", Basic(clientId, secret), ("token", token));

    public async Task<ProtocolResponse> PostAsync(string path, AuthenticationHeaderValue? authorization, params (string Name, string Value)[] parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        request.Headers.Authorization = authorization;
        return await SendAsync(request);
    }

    public async Task<ProtocolResponse> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonNode.Parse(body)!.AsObject() : new JsonObject();
        return new ProtocolResponse(response, json);
    }

    /// <summary>RFC 6749 §2.3.1: form-urlencode id and secret, then base64 "id:secret".</summary>
    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
}
