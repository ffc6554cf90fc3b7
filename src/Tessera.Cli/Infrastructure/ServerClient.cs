using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;

namespace Tessera.Cli.Infrastructure;

/// <summary>HTTP to one Tessera server: discovery, protocol requests (made by Duende.IdentityModel), JSON calls to its APIs.</summary>
public sealed class ServerClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private JsonObject? _discovery;

    public ServerClient(string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new CliException($"The issuer '{issuer}' is not an http(s) URL.", ExitCodes.Usage);
        // Secrets, refresh tokens and admin tokens go to the issuer: in clear only on this machine (the server's own rule).
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            throw new CliException($"The issuer '{issuer}' is plain http on another machine; use https (http is for 127.0.0.1, [::1] and localhost only).", ExitCodes.Usage);
        Issuer = issuer.TrimEnd('/');
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tessera-cli", "1"));
    }

    public string Issuer { get; }

    public string Url(string path) => Issuer + path;

    /// <summary>OIDC Discovery 1.0 §4: the server's metadata; its issuer must be the one we asked (§4.3).</summary>
    public async Task<JsonObject> DiscoveryAsync()
    {
        if (_discovery is not null) return _discovery;
        var document = await GetJsonAsync(Url("/.well-known/openid-configuration"));
        if ((string?)document["issuer"] != Issuer)
            throw new CliException($"The server at {Issuer} names another issuer ({(string?)document["issuer"]}); refusing to use it.", ExitCodes.Unreachable);
        return _discovery = document;
    }

    public async Task<string> EndpointAsync(string name) =>
        (string?)(await DiscoveryAsync())[name] ?? throw new CliException($"The server does not offer {name}.", ExitCodes.Failed);

    /// <summary>
    /// A protocol request that Duende.IdentityModel builds and sends (the form, the client authentication): the status
    /// and the JSON body whatever the status, for the caller to decide on both. An unreachable server and an answer that
    /// is not JSON end the command here, with the same sentences as every other request of the CLI.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> RequestAsync<T>(Func<HttpClient, Task<T>> send) where T : ProtocolResponse
    {
        T response;
        try
        {
            response = await send(_http);
        }
        catch (TaskCanceledException e)
        {
            throw Unreachable(e);   // the 30-second timeout: Duende.IdentityModel lets cancellations through
        }
        catch (InvalidOperationException)
        {
            // Duende.IdentityModel refuses an introspection answer without a JSON body.
            throw new CliException("The server answered with something that is not JSON.", ExitCodes.Unreachable);
        }
        // Duende.IdentityModel turns a failed send into a response without an HTTP response.
        if (response.HttpResponse is not { } http)
        {
            if (response.Exception is HttpRequestException e) throw Unreachable(e);
            ExceptionDispatchInfo.Throw(response.Exception!);
            throw new InvalidOperationException("unreachable");
        }
        using (http) return (http.StatusCode, ParseObject(response.Raw ?? "", http.StatusCode));
    }

    /// <summary>A JSON API call with a bearer token; a refusal becomes one sentence and the matching exit code.</summary>
    public async Task<JsonNode?> ApiAsync(HttpMethod method, string path, string bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Url(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null) request.Content = body is JsonNode node ? new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json") : JsonContent.Create(body);
        using var response = await SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        var error = await ReadObjectAsync(response);
        var description = (string?)error["error_description"] ?? (string?)error["title"] ?? response.ReasonPhrase ?? "no reason given";
        // RFC 9470 §3: the token is fine, but the sign-in behind it is not enough: too old (max_age, creating a PAT) or
        // without the class asked for (acr_values, the admin API wants a second factor).
        if ((string?)error["error"] == "insufficient_user_authentication")
        {
            var challenge = string.Join(' ', response.Headers.WwwAuthenticate.Select(h => h.ToString()));
            throw challenge.Contains("acr_values=", StringComparison.Ordinal)
                ? new CliException("This needs a sign-in with a second factor: sign in again with tessera login, and give your code or passkey.", ExitCodes.NotSignedIn)
                : new CliException("This needs a recent sign-in, and yours is too old: sign in again: tessera login", ExitCodes.NotSignedIn);
        }
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException($"The server did not accept the access token ({description}); sign in with 'tessera login' or set TESSERA_TOKEN.", ExitCodes.NotSignedIn),
            HttpStatusCode.Forbidden => new CliException($"The access token is not allowed to do this ({description}).", ExitCodes.Failed),
            HttpStatusCode.NotFound => new CliException($"Not found: {description}.", ExitCodes.Failed),
            _ => new CliException($"The server refused: {description}.", ExitCodes.Failed),
        };
    }

    public async Task<JsonObject> GetJsonAsync(string url)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
        if (!response.IsSuccessStatusCode)
            throw new CliException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", ExitCodes.Unreachable);
        return await ReadObjectAsync(response);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        try
        {
            return await _http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw Unreachable(e);
        }
    }

    private CliException Unreachable(Exception e) => new($"Could not reach {Issuer}: {e.Message.TrimEnd('.')}.", ExitCodes.Unreachable);

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        ParseObject(await response.Content.ReadAsStringAsync(), response.StatusCode);

    private static JsonObject ParseObject(string text, HttpStatusCode status)
    {
        try
        {
            return text.Length > 0 && JsonNode.Parse(text) is JsonObject json ? json : new JsonObject();
        }
        catch (JsonException)
        {
            throw new CliException($"The server answered {(int)status} with something that is not JSON.", ExitCodes.Unreachable);
        }
    }

    public void Dispose() => _http.Dispose();
}
