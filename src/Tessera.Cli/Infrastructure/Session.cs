using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;

namespace Tessera.Cli.Infrastructure;

/// <summary>
/// Which server and which access token a command uses. The issuer: <c>--issuer</c>, else <c>TESSERA_ISSUER</c>, else the
/// one signed in to. The token: <c>TESSERA_TOKEN</c> when set (a PAT or a token from 'tessera token'), else the signed-in
/// session's, refreshed when it is about to expire.
/// </summary>
public static class Session
{
    public const string TokenVariable = "TESSERA_TOKEN";
    public const string IssuerVariable = "TESSERA_ISSUER";

    // A token this close to its expiry is refreshed first, so it does not expire on its way to the API.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    public static string Issuer(string? option)
    {
        if (!string.IsNullOrEmpty(option)) return option.TrimEnd('/');
        if (Environment.GetEnvironmentVariable(IssuerVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment.TrimEnd('/');
        if (CredentialStore.Load() is { } credentials) return credentials.Issuer;
        throw new CliException("No server given: pass --issuer URL, set TESSERA_ISSUER, or sign in with 'tessera login --issuer URL'.", ExitCodes.Usage);
    }

    /// <summary>The bearer token for an API call: TESSERA_TOKEN, else the session's.</summary>
    public static async Task<string> BearerAsync(ServerClient server)
    {
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token) return token.Trim();
        return await FreshAccessTokenAsync(server);
    }

    /// <summary>The signed-in session's access token, refreshed (and the rotated refresh token stored) when needed.</summary>
    public static async Task<string> FreshAccessTokenAsync(ServerClient server)
    {
        var credentials = CredentialStore.Load()
            ?? throw new CliException("Not signed in: run 'tessera login --issuer URL' first.", ExitCodes.NotSignedIn);
        if (credentials.Issuer != server.Issuer)
            throw new CliException($"Signed in to {credentials.Issuer}, not {server.Issuer}: run 'tessera login --issuer {server.Issuer}'.", ExitCodes.NotSignedIn);
        var now = DateTimeOffset.UtcNow;
        if (credentials.AccessToken is { } current && now.Add(Margin).ToUnixTimeSeconds() < credentials.AccessTokenExpiresAt) return current;
        if (credentials.RefreshToken is null)
            throw new CliException("The session's access token has expired and there is no refresh token: run 'tessera login' again.", ExitCodes.NotSignedIn);

        // RFC 6749 §6, as a public client (client_id in the body); the server rotates the refresh token, so the new one
        // must be stored before anything else.
        var tokenEndpoint = await server.EndpointAsync("token_endpoint");
        var (status, body) = await server.RequestAsync(http => http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = tokenEndpoint, ClientId = credentials.ClientId, ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = credentials.RefreshToken,
        }));
        if (status != HttpStatusCode.OK)
            throw new CliException($"The session has ended ({(string?)body["error_description"] ?? (string?)body["error"]}): run 'tessera login' again.", ExitCodes.NotSignedIn);
        var renewed = FromTokenResponse(server.Issuer, credentials.ClientId, body, credentials.RefreshToken);
        CredentialStore.Save(renewed);
        return renewed.AccessToken!;
    }

    /// <summary>RFC 6749 §5.1: the credentials a token response gives.</summary>
    public static Credentials FromTokenResponse(string issuer, string clientId, JsonObject body, string? previousRefreshToken = null)
    {
        var accessToken = (string?)body["access_token"] ?? throw new CliException("The token response has no access_token.", ExitCodes.Unreachable);
        var expiresIn = (long?)body["expires_in"] ?? 0;
        return new Credentials(issuer, clientId, (string?)body["refresh_token"] ?? previousRefreshToken, accessToken,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() + expiresIn, (string?)body["scope"]);
    }
}
