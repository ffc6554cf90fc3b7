using Microsoft.EntityFrameworkCore;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Protocol;
using Tessera.Server.Storage;

namespace Tessera.Server.Admin;

/// <summary>The admin HTTP API. Part 1: signing keys and shared API secrets.</summary>
internal static class AdminRoutes
{
    public static void MapAdminEndpoints(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        var admin = app.MapGroup(urls.PathBase + EndpointPaths.Admin).AddEndpointFilter<AdminAuthorization>();
        admin.MapGet("/keys", ListKeys);
        admin.MapPost("/keys/rotate", RotateKeyAsync);
        admin.MapPost("/apis/{name}/signing-secret", ResetApiSecretAsync);
        admin.MapPost("/users", AdminUsers.CreateAsync);
    }

    private static IResult ListKeys(SnapshotCache snapshots, TimeProvider clock)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var ring = snapshots.Current.Keys;
        return ProtocolResults.Json(json =>
        {
            json.WriteStartArray("keys");
            foreach (var key in ring.Keys)
            {
                json.WriteStartObject();
                json.WriteString("kid", key.KeyId);
                json.WriteString("alg", key.Algorithm);
                json.WriteString("status", ring.SigningKey(key.Algorithm, now) == key ? "current" : key.ActivatesAt > now ? "next" : "retired");
                json.WriteNumber("activates_at", key.ActivatesAt);
                if (key.UnpublishAt is { } unpublish) json.WriteNumber("unpublish_at", unpublish);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
    }

    private static async Task<IResult> RotateKeyAsync(HttpContext context, KeyManager keys, SnapshotCache snapshots)
    {
        var algorithm = context.Request.Query["algorithm"].FirstOrDefault() ?? SigningAlgorithms.RS256;
        if (!KeyManager.AlgorithmsInUse(snapshots.Current.Catalog).Contains(algorithm))
            return ProtocolResults.Error(OAuthError.InvalidRequest($"no key of algorithm '{algorithm}' is in use"));
        var key = await keys.RotateNowAsync(algorithm, context.RequestAborted);
        return ProtocolResults.Json(json =>
        {
            json.WriteString("kid", key.Id);
            json.WriteString("alg", key.Algorithm);
        });
    }

    /// <summary>Generates a new shared secret for an HS256/384/512 API and shows it this once.</summary>
    private static async Task<IResult> ResetApiSecretAsync(string name, TesseraDbContext db, ApiSecretProtector secrets, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        var api = await db.ApiResources.SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
        if (api is null) return Results.NotFound();
        if (!SigningAlgorithms.IsSymmetric(api.SigningAlgorithm))
            return ProtocolResults.Error(OAuthError.InvalidRequest($"API '{name}' signs with {api.SigningAlgorithm}: its keys are in the JWKS, it has no shared secret"));

        var (secret, protectedSecret) = secrets.Generate(api.SigningAlgorithm);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        api.ProtectedSigningSecret = protectedSecret;
        await db.SaveChangesAsync(cancellationToken);
        await ChangeStamps.BumpAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);

        return ProtocolResults.Json(json =>
        {
            json.WriteString("api", api.Name);
            json.WriteString("alg", api.SigningAlgorithm);
            json.WriteString("secret", ApiSecretProtector.Encode(secret));
        });
    }
}
