using System.CommandLine;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Spectre.Console;
using Tessera.Cli.Infrastructure;
using Tessera.Cli.Login;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera login</c>, <c>tessera logout</c> and <c>tessera token</c>.</summary>
public static partial class LoginCommands
{
    public const string DefaultClientId = "tessera-cli";
    public const string DefaultScope = "openid offline_access tessera:pats";

    public static Command Login()
    {
        var browser = new Option<bool>("--browser") { Description = "Sign in in a browser (authorization code + PKCE, loopback redirect) instead of the device flow." };
        var noOpen = new Option<bool>("--no-open") { Description = "With --browser: print the address instead of opening a browser." };
        var clientId = new Option<string>("--client-id") { Description = "The public client registered for the CLI.", DefaultValueFactory = _ => DefaultClientId };
        var scope = new Option<string>("--scope") { Description = "Scopes to ask for (space-separated).", DefaultValueFactory = _ => DefaultScope };
        var command = new Command("login", "Sign in to a Tessera server; the refresh token is kept in a file only you can read (0600).")
        {
            browser, noOpen, clientId, scope,
        };
        command.SetAction(async parse =>
        {
            using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
            var client = parse.GetValue(clientId)!;
            var response = parse.GetValue(browser)
                ? await BrowserLogin.RunAsync(server, client, parse.GetValue(scope)!, !parse.GetValue(noOpen), TimeSpan.FromMinutes(5))
                : await DeviceLogin.RunAsync(server, client, parse.GetValue(scope)!);
            var credentials = Session.FromTokenResponse(server.Issuer, client, response);
            CredentialStore.Save(credentials);
            if (parse.GetValue(CommonOptions.Json))
                Output.Json(new JsonObject { ["issuer"] = server.Issuer, ["scope"] = credentials.Scope, ["credentials_file"] = CredentialStore.FilePath });
            else
                Output.Note($"Signed in to [bold]{Markup.Escape(server.Issuer)}[/]" + (credentials.RefreshToken is null ? " (no refresh token: the session ends with this access token)." : "."));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Logout()
    {
        var command = new Command("logout", "End the session: its refresh token is revoked at the server and the credentials file deleted.");
        command.SetAction(async _ =>
        {
            if (CredentialStore.Load() is not { } credentials)
            {
                Output.Note("Not signed in.");
                return ExitCodes.Success;
            }
            var revoked = credentials.RefreshToken is null || await TryRevokeAsync(credentials);
            CredentialStore.Delete();
            Output.Note(revoked ? "Signed out." : "Signed out here, but the server could not be told: the session's refresh token stays valid until it expires.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>RFC 7009 §2.1: a public client revokes its own refresh token with client_id (and so its access tokens).</summary>
    private static async Task<bool> TryRevokeAsync(Credentials credentials)
    {
        try
        {
            using var server = new ServerClient(credentials.Issuer);
            var revocationEndpoint = await server.EndpointAsync("revocation_endpoint");
            var (status, _) = await server.RequestAsync(http => http.RevokeTokenAsync(new TokenRevocationRequest
            {
                Address = revocationEndpoint, ClientId = credentials.ClientId, ClientCredentialStyle = ClientCredentialStyle.PostBody,
                Token = credentials.RefreshToken!, TokenTypeHint = "refresh_token",
            }));
            return status == System.Net.HttpStatusCode.OK;
        }
        catch (CliException)
        {
            return false;
        }
    }

    public static Command Token()
    {
        var export = new Option<bool>("--export") { Description = "Print 'export TESSERA_TOKEN=…' for a shell to evaluate." };
        var clientId = new Option<string?>("--client-id") { Description = "Instead of the session: a token for this confidential client (client credentials), e.g. an administrative client." };
        var secretFile = new Option<FileInfo?>("--client-secret-file") { Description = "With --client-id: a file holding the client's secret (or TESSERA_CLIENT_SECRET)." };
        var scope = new Option<string?>("--scope") { Description = "With --client-id: the scopes to ask for (e.g. tessera:admin)." };
        var command = new Command("token", "Print a fresh access token: the signed-in session's (refreshed when needed), or a client's with --client-id.")
        {
            export, clientId, secretFile, scope,
        };
        command.SetAction(async parse =>
        {
            using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
            var (token, expiresAt, granted) = parse.GetValue(clientId) is { } client
                ? await ClientTokenAsync(server, client, parse.GetValue(secretFile), parse.GetValue(scope))
                : await SessionTokenAsync(server);
            if (parse.GetValue(CommonOptions.Json))
                Output.Json(new JsonObject { ["access_token"] = token, ["expires_at"] = expiresAt, ["scope"] = granted });
            // The line goes through a shell (eval): a token is base64url, dots and Tessera's prefixes, and anything else
            // from a server (a quote, a $) is refused rather than printed.
            else if (parse.GetValue(export))
            {
                if (!ShellSafeToken().IsMatch(token))
                    throw new CliException("The server returned an access token with characters a shell would interpret; not printing it as an export line.", ExitCodes.Failed);
                Output.Line($"export {Session.TokenVariable}='{token}'");
            }
            else Output.Line(token);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<(string Token, long ExpiresAt, string? Scope)> SessionTokenAsync(ServerClient server)
    {
        var token = await Session.FreshAccessTokenAsync(server);
        var credentials = CredentialStore.Load()!;
        return (token, credentials.AccessTokenExpiresAt, credentials.Scope);
    }

    /// <summary>RFC 6749 §4.4: nothing is stored; the secret comes from a file or the environment, never the command line.</summary>
    private static async Task<(string Token, long ExpiresAt, string? Scope)> ClientTokenAsync(ServerClient server, string clientId, FileInfo? secretFile, string? scope)
    {
        var secret = secretFile is not null
            ? (secretFile.Exists ? File.ReadAllText(secretFile.FullName).Trim() : throw new CliException($"{secretFile.FullName} does not exist.", ExitCodes.Usage))
            : Environment.GetEnvironmentVariable("TESSERA_CLIENT_SECRET")
              ?? throw new CliException("--client-id needs the client's secret: --client-secret-file FILE or TESSERA_CLIENT_SECRET.", ExitCodes.Usage);
        // client_secret_basic (RFC 6749 §2.3.1); no scope asks for the client's default.
        var tokenEndpoint = await server.EndpointAsync("token_endpoint");
        var (status, body) = await server.RequestAsync(http => http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = tokenEndpoint, ClientId = clientId, ClientSecret = secret, ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader,
            Scope = string.IsNullOrEmpty(scope) ? null : scope,
        }));
        if (status != System.Net.HttpStatusCode.OK)
            throw new CliException($"The server refused the client's token request: {(string?)body["error_description"] ?? (string?)body["error"]}.", ExitCodes.NotSignedIn);
        var credentials = Session.FromTokenResponse(server.Issuer, clientId, body);
        return (credentials.AccessToken!, credentials.AccessTokenExpiresAt, credentials.Scope);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._~-]+$")]
    private static partial System.Text.RegularExpressions.Regex ShellSafeToken();
}
