using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Tessera.Browser.Tests.Infrastructure;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>What the MCP tests do as the client more than once: connect the SDK's client, call a tool, read a challenge, go through the browser.</summary>
public static class McpClientSteps
{
    /// <summary>The revision whose authorization the tests follow; the SDK's newer default would skip the initialize handshake.</summary>
    public const string ProtocolVersion = "2025-11-25";

    /// <summary>The SDK's client over Streamable HTTP, through <paramref name="handler"/> (which adds the credentials).</summary>
    public static Task<McpClient> ConnectAsync(Uri endpoint, HttpMessageHandler handler) =>
        ConnectAsync(new HttpClientTransportOptions { Endpoint = endpoint }, new HttpClient(handler, disposeHandler: false));

    public static async Task<McpClient> ConnectAsync(HttpClientTransportOptions options, HttpClient http)
    {
        options.TransportMode = HttpTransportMode.StreamableHttp;
        // No long-lived GET: the sample pushes nothing, and a bounded test wants no request left open.
        options.EnableStandaloneGetStream = false;
        var transport = new HttpClientTransport(options, http, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = ProtocolVersion });
    }

    /// <summary>An MCP initialize request as a Streamable HTTP POST (MCP 2025-11-25, Transports), without credentials.</summary>
    public static HttpRequestMessage InitializeRequest(Uri endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "initialize",
                ["params"] = new JsonObject
                {
                    ["protocolVersion"] = ProtocolVersion, ["capabilities"] = new JsonObject(),
                    ["clientInfo"] = new JsonObject { ["name"] = "probe", ["version"] = "1" },
                },
            }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    /// <summary>The text the tool answered with (its one text block); fails on a tool error.</summary>
    public static async Task<string> CallAsync(McpClient client, string tool, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        var result = await client.CallToolAsync(tool, arguments);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(block => block.Text));
        Assert.False(result.IsError == true, $"{tool} answered an error: {text}");
        return text;
    }

    /// <summary>One parameter of a WWW-Authenticate challenge (RFC 9110 §11.2 auth-param, quoted form), or null.</summary>
    public static string? Parameter(string? challenge, string name)
    {
        if (challenge is null) return null;
        var match = Regex.Match(challenge, "(?:^|[\\s,])" + Regex.Escape(name) + "=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// The browser part of an authorization: open the URL, sign in when the session has none, allow on the consent page
    /// (after checking it names the scopes), and the callback URL the browser lands on.
    /// </summary>
    public static async Task<Uri> AuthorizeInBrowserAsync(IPage page, string url, string username, string password, Uri callback, params string[] scopes)
    {
        await page.GotoAsync(url);
        await Chromium.ArrivedAsync(page, address => address.Contains("/account/sign-in", StringComparison.Ordinal) || address.Contains("/consent", StringComparison.Ordinal));
        if (page.Url.Contains("/account/sign-in", StringComparison.Ordinal))
        {
            await page.FillAsync("input[autocomplete=username]", username);
            await page.FillAsync("input[autocomplete=current-password]", password);
            await page.ClickAsync("button[type=submit]");
            await Chromium.ArrivedAsync(page, address => address.Contains("/consent", StringComparison.Ordinal));
        }
        // A client that registered itself always meets the consent page, marked unverified.
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("unverified");
        foreach (var scope in scopes) await Assertions.Expect(page.Locator("main")).ToContainTextAsync(scope);
        await page.ClickAsync("button[name=decision][value=allow]");
        var target = callback.ToString();
        await Chromium.ArrivedAsync(page, address => address.StartsWith(target + "?", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#received")).ToHaveTextAsync("callback received");
        return new Uri(page.Url);
    }
}
