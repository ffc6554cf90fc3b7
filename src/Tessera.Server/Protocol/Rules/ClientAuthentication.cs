using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Clients;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Clients;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// Client authentication at the token, introspection and revocation endpoints:
/// <c>client_secret_basic</c>, <c>client_secret_post</c> (RFC 6749 §2.3.1), <c>private_key_jwt</c> (RFC 7523 §2.2),
/// and <c>none</c> for public clients on the grants that allow it.
/// </summary>
internal sealed class ClientAuthentication(
    ClientSecretHasher secrets,
    ITesseraDbContextFactory databases,
    JsonWebTokenHandler jwtHandler,
    Microsoft.Extensions.Options.IOptions<TesseraOptions> options,
    TimeProvider clock,
    IClientDocumentLoader documents,
    IClientKeySets keySets)
{
    private const string Failed = "client authentication failed";

    /// <param name="allowPublicClients">True only where the grant accepts a public client identified by client_id alone.</param>
    public async ValueTask<Outcome<RegisteredClient>> AuthenticateAsync(
        HttpRequest request, ProtocolForm form, ClientCatalog catalog, string endpointUrl, bool allowPublicClients = false)
    {
        var header = request.Headers.Authorization.ToString();
        var usesBasic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        var assertion = form[Parameters.ClientAssertion];
        var postedSecret = form[Parameters.ClientSecret];

        // RFC 6749 §2.3: a client must not use more than one authentication method in a request.
        if ((usesBasic ? 1 : 0) + (assertion is null ? 0 : 1) + (postedSecret is null ? 0 : 1) > 1)
            return OAuthError.InvalidRequest("use exactly one client authentication method");

        if (usesBasic) return AuthenticateBasic(header, form, catalog);
        if (assertion is not null) return await AuthenticateAssertionAsync(assertion, form, catalog, endpointUrl, request.HttpContext.RequestAborted);
        if (postedSecret is not null) return AuthenticateSecret(form[Parameters.ClientId], postedSecret, catalog, usedBasic: false);

        var clientId = form[Parameters.ClientId];
        if (clientId is null) return OAuthError.InvalidClient("client authentication is required", usedBasic: false);
        // A client_id that names a client ID metadata document is read (or refreshed) before the client is looked up.
        if (await documents.LoadAsync(clientId, request.HttpContext.RequestAborted) is { } unusable) return unusable;

        // RFC 6749 §2.1 and §3.2.1: a public client identifies itself with client_id alone, on the grants that allow it.
        var publicClient = catalog.FindClient(clientId);
        if (publicClient is { IsPublic: true })
            return allowPublicClients
                ? publicClient
                : OAuthError.InvalidClient("a public client cannot authenticate for this request", usedBasic: false);
        return OAuthError.InvalidClient("this endpoint requires client authentication; the client sent only its client_id", usedBasic: false);
    }

    private Outcome<RegisteredClient> AuthenticateBasic(string header, ProtocolForm form, ClientCatalog catalog)
    {
        if (!TryDecodeBasic(header, out var clientId, out var secret))
            return OAuthError.InvalidClient("the Authorization header is not valid HTTP Basic credentials", usedBasic: true);

        // A client_id in the body must name the same client as the header.
        var bodyClientId = form[Parameters.ClientId];
        if (bodyClientId is not null && bodyClientId != clientId)
            return OAuthError.InvalidRequest("client_id in the body does not match the authenticated client");

        return AuthenticateSecret(clientId, secret, catalog, usedBasic: true);
    }

    private Outcome<RegisteredClient> AuthenticateSecret(string? clientId, string secret, ClientCatalog catalog, bool usedBasic)
    {
        if (clientId is null) return OAuthError.InvalidClient("client_id is required with client_secret", usedBasic);

        var client = catalog.FindClient(clientId);
        // Unknown client and wrong secret get the same answer, so the endpoint does not confirm which clients exist.
        if (client?.SecretHash is null || !secrets.Verify(secret, client.SecretHash))
            return OAuthError.InvalidClient(Failed, usedBasic);
        return client;
    }

    private async ValueTask<Outcome<RegisteredClient>> AuthenticateAssertionAsync(
        string assertion, ProtocolForm form, ClientCatalog catalog, string endpointUrl, CancellationToken cancellationToken)
    {
        // RFC 7523 §2.2: the assertion type names the JWT bearer profile.
        if (form[Parameters.ClientAssertionType] != ClientAuthenticationMethods.JwtBearerAssertionType)
            return OAuthError.InvalidClient($"client_assertion_type must be {ClientAuthenticationMethods.JwtBearerAssertionType}", usedBasic: false);

        // Reading (not trusting) the unverified sub tells us whose keys to verify with; RFC 7523 §3: iss = sub = client_id.
        var clientId = UnverifiedSubject(assertion);
        if (clientId is null) return OAuthError.InvalidClient("client_assertion is not a JWT", usedBasic: false);
        var formClientId = form[Parameters.ClientId];
        if (formClientId is not null && formClientId != clientId)
            return OAuthError.InvalidClient("client_id does not match the assertion's subject", usedBasic: false);

        if (await documents.LoadAsync(clientId, cancellationToken) is { } unusable) return unusable;
        var client = catalog.FindClient(clientId);
        if (client is null || !client.HasKeys) return OAuthError.InvalidClient(Failed, usedBasic: false);
        var keys = await keySets.KeysOfAsync(client, cancellationToken);
        if (keys.Failed) return keys.Error;

        var issuer = options.Value.Issuer;
        var result = await jwtHandler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = client.ClientId,
            // RFC 7523 §3: the audience identifies the authorization server: its issuer, or the URL of this endpoint.
            ValidAudiences = [issuer, endpointUrl],
            IssuerSigningKeys = keys.Value,
            ValidAlgorithms = SigningAlgorithms.ClientAssertion,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = options.Value.Limits.ClockSkew,
            TryAllIssuerSigningKeys = true,
        });
        if (!result.IsValid) return OAuthError.InvalidClient(Failed, usedBasic: false);

        var token = (JsonWebToken)result.SecurityToken;
        // RFC 7523 §3 (and RFC 7521 §5.2's replay concern): ValidAudiences passes an array that merely contains this
        // server, so an assertion meant for several servers at once is refused: exactly one audience, ours.
        if (token.Audiences.Count() != 1)
            return OAuthError.InvalidClient("the client assertion's aud must be a single value: the issuer or the token endpoint URL", usedBasic: false);
        if (token.Subject != client.ClientId) return OAuthError.InvalidClient(Failed, usedBasic: false);
        if (string.IsNullOrEmpty(token.Id)) return OAuthError.InvalidClient("the client assertion must carry a jti", usedBasic: false);
        if (token.ValidTo - clock.GetUtcNow().UtcDateTime > TimeSpan.FromMinutes(10))
            return OAuthError.InvalidClient("the client assertion must expire within 10 minutes", usedBasic: false);

        if (!await RecordFirstUseAsync(client.ClientId, token.Id, token.ValidTo))
            return OAuthError.InvalidClient("the client assertion was already used", usedBasic: false);
        return client;
    }

    /// <summary>RFC 7523 §3: a jti may be used once; the unique key makes the insert the check, on any number of nodes.</summary>
    private async Task<bool> RecordFirstUseAsync(string clientId, string jti, DateTime expires)
    {
        await using var db = databases.Create();
        db.ClientAssertionUses.Add(new ClientAssertionUse
        {
            // RFC 7523 §3 does not bound the jti: its SHA-256 always fits the column, so a failed insert means a replay,
            // not a value too long for PostgreSQL's varchar(512) (which SQLite would have stored).
            Id = clientId + " " + Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(jti))),
            ExpiresAt = new DateTimeOffset(expires, TimeSpan.Zero).ToUnixTimeSeconds() + (long)options.Value.Limits.ClockSkew.TotalSeconds,
        });
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
    }

    private string? UnverifiedSubject(string assertion)
    {
        if (assertion.Length > 16 * 1024 || !jwtHandler.CanReadToken(assertion)) return null;
        try
        {
            return jwtHandler.ReadJsonWebToken(assertion).Subject;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            // RFC 7523 §3.2: JWT-shaped on the outside but not JSON inside is invalid_client, never a server error.
            return null;
        }
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.</summary>
    private static bool TryDecodeBasic(string header, out string clientId, out string secret)
    {
        clientId = secret = "";
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || parsed.Parameter is null) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parsed.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0) return false;
        clientId = FormDecode(decoded[..colon]);
        secret = FormDecode(decoded[(colon + 1)..]);
        return secret.Length > 0;
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
