using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Protocol.Cors;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Clients;
using Tessera.Server.Throttling;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Registration;

/// <summary>
/// RFC 7591 dynamic client registration (<c>POST /connect/register</c>) and RFC 7592 management of the registered
/// client (<c>GET/PUT/DELETE /connect/register/{client_id}</c> with its registration access token). Mapped only when
/// <c>Tessera:Registration:Enabled</c>.
/// </summary>
internal static class ClientRegistrationEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void MapClientRegistration(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value;
        if (!options.Registration.Enabled) return;
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        // A browser app registers and manages itself from its page: CORS as at the token endpoint.
        var group = app.MapGroup(urls.PathBase + EndpointPaths.Registration).AnswersBrowserApps();
        group.MapPost("", RegisterAsync).LimitedPerIp(RequestRateLimits.ClientRegistration, options.RateLimits.ClientRegistrationsPerIp);
        group.MapGet("/{clientId}", ReadClientAsync);
        group.MapPut("/{clientId}", UpdateAsync);
        group.MapDelete("/{clientId}", DeleteAsync);
    }

    private static async Task<IResult> RegisterAsync(
        HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options, TimeProvider clock)
    {
        var settings = options.Value.Registration;
        // RFC 7591 §3: an initial access token, when the operator set one, as a bearer token (RFC 6750 errors).
        if (settings.InitialAccessToken is { Length: > 0 } expected && !BearerMatches(context, expected))
            return ProtocolResults.Error(OAuthError.InvalidToken("registration needs the initial access token"));

        if (await ReadMetadataAsync(context) is not { } metadata) return ProtocolResults.Error(OAuthError.InvalidClientMetadata("the body must be a JSON object of client metadata"));
        var clientId = "dyn_" + SecretGenerator.NewSecret(16);
        var checkedMetadata = ClientMetadataRules.Check(metadata, clientId, settings, snapshots.Current.Catalog);
        if (checkedMetadata.Failed) return ProtocolResults.Error(checkedMetadata.Error);
        var (client, kept) = checkedMetadata.Value;

        // A confidential client that brought no keys gets a 256-bit secret; only its hash is stored (as for every client).
        var secret = client.Public != true && client.Jwks is null && client.JwksUri is null ? SecretGenerator.NewSecret() : null;
        var registrationToken = SecretGenerator.NewSecret();
        await applier.ApplyAsync(new ImportDocument { Clients = [client with { ClientSecret = secret }] }, CredentialWrites.Overwrite, row =>
        {
            row.Origin = ClientOrigins.Dynamic;
            row.RegistrationTokenHash = OpaqueHandles.Hash(registrationToken);
            row.RegistrationMetadata = JsonSerializer.Serialize(kept, Json);
        }, context.RequestAborted);
        await snapshots.RefreshAsync(force: true, context.RequestAborted);

        var row = await db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == clientId, context.RequestAborted);
        // RFC 7591 §3.2.1: 201 with the client's identifiers, its credentials (once) and the metadata as registered.
        return Answer(row, urls, StatusCodes.Status201Created, secret, registrationToken);
    }

    private static async Task<IResult> ReadClientAsync(string clientId, HttpContext context, TesseraDbContext db, IssuerUrls urls) =>
        await AuthorizedAsync(clientId, context, db) is { } row
            ? Answer(row, urls, StatusCodes.Status200OK, secret: null, registrationToken: null)
            : Unauthorized();

    /// <summary>
    /// RFC 7592 §2.2: the body replaces the metadata, keys included; the client keeps its id and registration token, and
    /// its secret while its authentication method uses one.
    /// </summary>
    private static async Task<IResult> UpdateAsync(
        string clientId, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options)
    {
        if (await AuthorizedAsync(clientId, context, db) is not { } row) return Unauthorized();
        if (await ReadMetadataAsync(context) is not { } metadata) return ProtocolResults.Error(OAuthError.InvalidClientMetadata("the body must be a JSON object of client metadata"));
        // RFC 7592 §2.2: the body names the client it updates.
        if (metadata.ClientId != clientId) return ProtocolResults.Error(OAuthError.InvalidRequest("client_id in the body must be the registered client's"));
        var checkedMetadata = ClientMetadataRules.Check(metadata, clientId, options.Value.Registration, snapshots.Current.Catalog);
        if (checkedMetadata.Failed) return ProtocolResults.Error(checkedMetadata.Error);
        var (client, kept) = checkedMetadata.Value;
        // The keys (jwks, jwks_uri) are metadata like any other and are replaced. A secret is kept only while the method
        // uses one: a client that moves to a secret method without one gets a new secret, in this answer only (RFC 7592
        // §2.2 lets the answer carry one); a client that moves to none or private_key_jwt loses its secret, so the old
        // one authenticates nobody.
        var usesSecret = kept.TokenEndpointAuthMethod is ClientAuthenticationMethods.ClientSecretBasic or ClientAuthenticationMethods.ClientSecretPost;
        var secret = usesSecret && row.SecretHash is null ? SecretGenerator.NewSecret() : null;

        await applier.ApplyAsync(new ImportDocument { Clients = [client with { ClientSecret = secret }] },
            usesSecret ? CredentialWrites.AdminReplace : CredentialWrites.Overwrite,
            updated => updated.RegistrationMetadata = JsonSerializer.Serialize(kept, Json), context.RequestAborted);
        await snapshots.RefreshAsync(force: true, context.RequestAborted);
        return Answer(await db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == clientId, context.RequestAborted), urls, StatusCodes.Status200OK, secret, null);
    }

    /// <summary>RFC 7592 §2.3: the client goes, with its consents; its tokens die with it (issued to a client no longer registered).</summary>
    private static async Task<IResult> DeleteAsync(string clientId, HttpContext context, TesseraDbContext db, SnapshotCache snapshots)
    {
        if (await AuthorizedAsync(clientId, context, db) is null) return Unauthorized();
        await using (var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted))
        {
            await ChangeStamps.BumpAsync(db, context.RequestAborted);
            await db.Consents.Where(c => c.ClientId == clientId).ExecuteDeleteAsync(context.RequestAborted);
            await db.Clients.Where(c => c.ClientId == clientId).ExecuteDeleteAsync(context.RequestAborted);
            await transaction.CommitAsync(context.RequestAborted);
        }
        await snapshots.RefreshAsync(force: true, context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>
    /// RFC 7592 §3: the dynamic client whose registration access token the request carries. Another client's token, an
    /// unknown client and a configured client all get the same 401: nothing tells which clients exist.
    /// </summary>
    private static async Task<Client?> AuthorizedAsync(string clientId, HttpContext context, TesseraDbContext db)
    {
        var credential = BearerCredential.Read(context.Request.Headers.Authorization);
        if (credential.Token is not { } token || credential.IsDpop) return null;
        var row = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId && c.Origin == ClientOrigins.Dynamic, context.RequestAborted);
        return row?.RegistrationTokenHash is { } hash && CryptographicOperations.FixedTimeEquals(hash, OpaqueHandles.Hash(token)) ? row : null;
    }

    private static IResult Unauthorized() => ProtocolResults.Error(OAuthError.InvalidToken("the registration access token is not valid for this client"));

    private static bool BearerMatches(HttpContext context, string expected) =>
        BearerCredential.Read(context.Request.Headers.Authorization).Token is { } presented
        && CryptographicOperations.FixedTimeEquals(OpaqueHandles.Hash(presented), OpaqueHandles.Hash(expected));

    private static async Task<ClientMetadata?> ReadMetadataAsync(HttpContext context)
    {
        try
        {
            return await context.Request.ReadFromJsonAsync<ClientMetadata>(Json, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>RFC 7591 §3.2.1 / RFC 7592 §3: the registered metadata, never cached (it may carry credentials).</summary>
    private static IResult Answer(Client row, IssuerUrls urls, int status, string? secret, string? registrationToken)
    {
        var kept = JsonSerializer.Deserialize<KeptMetadata>(row.RegistrationMetadata!, Json)!;
        return ProtocolResults.Json(json =>
        {
            json.WriteString("client_id", row.ClientId);
            json.WriteNumber("client_id_issued_at", row.RegisteredAt);
            if (secret is not null)
            {
                json.WriteString("client_secret", secret);
                json.WriteNumber("client_secret_expires_at", 0);   // §3.2.1: 0, it does not expire
            }
            if (registrationToken is not null) json.WriteString("registration_access_token", registrationToken);
            json.WriteString("registration_client_uri", urls.Url(EndpointPaths.Registration + "/" + row.ClientId));
            json.WriteString("token_endpoint_auth_method", kept.TokenEndpointAuthMethod);
            WriteList(json, "redirect_uris", SpaceDelimited.Split(row.RedirectUris));
            WriteList(json, "grant_types", SpaceDelimited.Split(row.GrantTypes));
            WriteList(json, "response_types", SpaceDelimited.Split(row.GrantTypes).Contains(GrantTypes.AuthorizationCode) ? [Parameters.Code] : []);
            json.WriteString("scope", row.Scopes);
            if (row.DisplayName is not null) json.WriteString("client_name", row.DisplayName);
            // The columns since they exist; a row registered before them has the values only in its kept metadata.
            if ((row.ClientUri ?? kept.ClientUri) is { } clientUri) json.WriteString("client_uri", clientUri);
            if ((row.LogoUri ?? kept.LogoUri) is { } logoUri) json.WriteString("logo_uri", logoUri);
            if (kept.SoftwareId is not null) json.WriteString("software_id", kept.SoftwareId);
            if (kept.SoftwareVersion is not null) json.WriteString("software_version", kept.SoftwareVersion);
            if (row.PostLogoutRedirectUris.Length > 0) WriteList(json, "post_logout_redirect_uris", SpaceDelimited.Split(row.PostLogoutRedirectUris));
            if (row.BackchannelLogoutUri is not null) json.WriteString("backchannel_logout_uri", row.BackchannelLogoutUri);
            if (row.JwksUri is not null) json.WriteString("jwks_uri", row.JwksUri);
            else if (row.JsonWebKeySet is not null)
            {
                json.WritePropertyName("jwks");
                using var jwks = JsonDocument.Parse(row.JsonWebKeySet);
                jwks.RootElement.WriteTo(json);
            }
            json.WriteBoolean("dpop_bound_access_tokens", row.RequireDpop);
        }, status);
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
