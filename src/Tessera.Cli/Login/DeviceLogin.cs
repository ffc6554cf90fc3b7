using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Spectre.Console;
using Tessera.Cli.Infrastructure;

namespace Tessera.Cli.Login;

/// <summary>RFC 8628: ask for a device code, show the user where to enter it, poll until they decide.</summary>
public static class DeviceLogin
{
    public static async Task<JsonObject> RunAsync(ServerClient server, string clientId, string scope)
    {
        // RFC 8628 §3.1, as a public client (client_id in the body).
        var deviceEndpoint = await server.EndpointAsync("device_authorization_endpoint");
        var (status, device) = await server.RequestAsync(http => http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = deviceEndpoint, ClientId = clientId, ClientCredentialStyle = ClientCredentialStyle.PostBody, Scope = scope,
        }));
        if (status != HttpStatusCode.OK)
            throw new CliException($"The server refused the sign-in request: {(string?)device["error_description"] ?? (string?)device["error"]}.", ExitCodes.Failed);

        var deviceCode = (string)device["device_code"]!;
        var userCode = (string)device["user_code"]!;
        var verificationUri = (string)device["verification_uri"]!;
        // RFC 8628 §3.2: expires_in is required; interval defaults to 5 seconds.
        var deadline = DateTimeOffset.UtcNow.AddSeconds((long?)device["expires_in"] ?? 600);
        var interval = TimeSpan.FromSeconds((long?)device["interval"] ?? 5);

        Output.Note($"To sign in, open [bold]{Markup.Escape(verificationUri)}[/] and enter the code [bold yellow]{Markup.Escape(userCode)}[/]");
        if ((string?)device["verification_uri_complete"] is { } complete)
            Output.Note($"or open [link]{Markup.Escape(complete)}[/]");

        var tokenEndpoint = await server.EndpointAsync("token_endpoint");
        return await Output.WaitAsync("Waiting for the sign-in to be approved…", async () =>
        {
            // Bounded by the code's own lifetime (and a hard cap on the number of polls).
            for (var polls = 0; polls < 10_000 && DateTimeOffset.UtcNow < deadline; polls++)
            {
                await Task.Delay(interval);
                // RFC 8628 §3.4: the device_code grant.
                var (pollStatus, body) = await server.RequestAsync(http => http.RequestDeviceTokenAsync(new DeviceTokenRequest
                {
                    Address = tokenEndpoint, ClientId = clientId, ClientCredentialStyle = ClientCredentialStyle.PostBody, DeviceCode = deviceCode,
                }));
                if (pollStatus == HttpStatusCode.OK) return body;
                switch ((string?)body["error"])
                {
                    case "authorization_pending":
                        continue;
                    case "slow_down":
                        // RFC 8628 §3.5: slow_down adds 5 seconds to the interval for this and later polls.
                        interval += TimeSpan.FromSeconds(5);
                        continue;
                    case "access_denied":
                        throw new CliException("The sign-in was denied.", ExitCodes.NotSignedIn);
                    case "expired_token":
                        throw new CliException("The code expired before the sign-in was approved; run 'tessera login' again.", ExitCodes.NotSignedIn);
                    default:
                        throw new CliException($"The sign-in failed: {(string?)body["error_description"] ?? (string?)body["error"]}.", ExitCodes.Failed);
                }
            }
            throw new CliException("The code expired before the sign-in was approved; run 'tessera login' again.", ExitCodes.NotSignedIn);
        });
    }
}
