using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.Tokens;
using Spectre.Console;
using Tessera.Cli.Infrastructure;

namespace Tessera.Cli.Login;

/// <summary>
/// The authorization code flow with PKCE for a native app (RFC 8252): a one-request HTTP listener on a loopback port
/// chosen now (§7.3), the browser sent to the authorization endpoint, the code exchanged with the verifier (RFC 7636).
/// </summary>
public static class BrowserLogin
{
    private const int MaxRequests = 20;

    public static async Task<JsonObject> RunAsync(ServerClient server, string clientId, string scope, bool openBrowser, TimeSpan timeout)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

        // RFC 8252 §8.3: the loopback IP literal, never "localhost"; only this machine can connect.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var redirectUri = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/callback";
        var url = await server.EndpointAsync("authorization_endpoint") + "?" + string.Join("&", new[]
        {
            ("response_type", "code"), ("client_id", clientId), ("redirect_uri", redirectUri), ("scope", scope),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));

        Output.Note($"Open this address to sign in: [link]{Markup.Escape(url)}[/]");
        if (openBrowser) TryOpen(url);

        var query = await Output.WaitAsync("Waiting for the browser to come back…", () => ReceiveCallbackAsync(listener, timeout));
        if (query.GetValueOrDefault("state") != state)
            throw new CliException("The browser came back with a state that this sign-in did not send; try again.", ExitCodes.NotSignedIn);
        if (query.TryGetValue("error", out var error))
            throw new CliException(error == "access_denied" ? "The sign-in was denied." : $"The sign-in failed: {query.GetValueOrDefault("error_description") ?? error}.", ExitCodes.NotSignedIn);
        if (!query.TryGetValue("code", out var code))
            throw new CliException("The browser came back without an authorization code.", ExitCodes.NotSignedIn);

        // RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5), as a public client (client_id in the body).
        var tokenEndpoint = await server.EndpointAsync("token_endpoint");
        var (status, body) = await server.RequestAsync(http => http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = tokenEndpoint, ClientId = clientId, ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Code = code, RedirectUri = redirectUri, CodeVerifier = verifier,
        }));
        if (status != HttpStatusCode.OK)
            throw new CliException($"The code could not be redeemed: {(string?)body["error_description"] ?? (string?)body["error"]}.", ExitCodes.NotSignedIn);
        return body;
    }

    /// <summary>Answers requests on the listener until one is the callback; bounded in time and count.</summary>
    private static async Task<Dictionary<string, string>> ReceiveCallbackAsync(TcpListener listener, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (var i = 0; i < MaxRequests; i++)
        {
            TcpClient connection;
            try
            {
                connection = await listener.AcceptTcpClientAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new CliException($"No sign-in came back within {timeout.TotalMinutes:0} minutes; run 'tessera login --browser' again.", ExitCodes.NotSignedIn);
            }
            using (connection)
            {
                var stream = connection.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync(deadline.Token) ?? "";
                // The whole request head is read before answering: closing a socket with unread bytes sends a reset,
                // which can cost the browser the page it was just sent.
                for (var header = 0; header < 100 && !string.IsNullOrEmpty(await reader.ReadLineAsync(deadline.Token)); header++) { }
                var parts = requestLine.Split(' ');
                var isCallback = parts.Length == 3 && parts[0] == "GET" && parts[1].StartsWith("/callback?", StringComparison.Ordinal);
                var page = isCallback ? "Signed in. You can close this window and return to the terminal." : "Not found.";
                var bytes = Encoding.UTF8.GetBytes(page);
                var head = $"HTTP/1.1 {(isCallback ? "200 OK" : "404 Not Found")}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), deadline.Token);
                await stream.WriteAsync(bytes, deadline.Token);
                connection.Client.Shutdown(SocketShutdown.Send);   // Connection: close, ended with FIN, not RST
                if (isCallback) return ParseQuery(parts[1][(parts[1].IndexOf('?') + 1)..]);
            }
        }
        throw new CliException("Too many unexpected requests reached the sign-in listener; run 'tessera login --browser' again.", ExitCodes.NotSignedIn);
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            values.TryAdd(name, value);
        }
        return values;
    }

    private static void TryOpen(string url)
    {
        try
        {
            var opener = OperatingSystem.IsMacOS() ? "open" : OperatingSystem.IsWindows() ? "explorer" : "xdg-open";
            using var process = Process.Start(new ProcessStartInfo(opener, [url]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No browser here: the address printed above is enough.
        }
    }
}
