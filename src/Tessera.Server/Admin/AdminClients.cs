using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// /admin/clients: list, show, create, replace, delete. Bodies are clients in the import file's format. A confidential
/// client created without clientSecret or jwks gets a generated secret, returned in that response only.
/// </summary>
internal static class AdminClients
{
    public sealed record ClientList(IReadOnlyList<ImportedClient> Clients);

    /// <summary>A created client, and the secret generated for it (null when it brought its own credential or is public).</summary>
    public sealed record CreatedClient(ImportedClient Client, string? ClientSecret);

    public static async Task<JsonOk<ClientList>> ListAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        var clients = await db.Clients.AsNoTracking().OrderBy(c => c.ClientId).ToListAsync(cancellationToken);
        return AdminCatalog.Ok(new ClientList([.. clients.Select(AdminCatalog.ToImported)]));
    }

    public static async Task<Results<JsonOk<ImportedClient>, NotFoundError>> GetAsync(string clientId, TesseraDbContext db, CancellationToken cancellationToken) =>
        await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId, cancellationToken) is { } client
            ? AdminCatalog.Ok(AdminCatalog.ToImported(client))
            : AdminCatalog.NotFound("client");

    public static async Task<Results<JsonCreated<CreatedClient>, BadRequestError, ForbiddenError>> CreateAsync(
        HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, AdminPrivilegeCeiling ceiling)
    {
        var (body, error) = await AdminCatalog.ReadAsync<ImportedClient>(context.Request);
        if (error is not null) return error;
        return await CreateClientAsync(body!, context, db, applier, snapshots, urls, ceiling);
    }

    /// <summary>The creation itself, for the admin API's JSON body and the console's form alike.</summary>
    public static async Task<Results<JsonCreated<CreatedClient>, BadRequestError, ForbiddenError>> CreateClientAsync(
        ImportedClient body, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, AdminPrivilegeCeiling ceiling)
    {
        var cancellationToken = context.RequestAborted;
        if (body.ClientId is { } id && await db.Clients.AnyAsync(c => c.ClientId == id, cancellationToken))
            return AdminCatalog.Invalid([$"client '{id}' already exists; update it with PUT /admin/clients/{id}"]);

        // A confidential client needs a credential: without one of its own it gets a generated secret (256 bits).
        var generated = body.ClientSecret is null && body.Jwks is null && body.JwksUri is null && body.Public != true ? SecretGenerator.NewSecret() : null;
        var client = generated is null ? body : body with { ClientSecret = generated };

        var document = await AdminCatalog.CurrentAsync(db, cancellationToken);
        document.Clients!.Add(client);
        if (AdminCatalog.Problems(document, urls.Issuer) is { } problems) return problems;
        if (await ceiling.RefusalAsync(context, client.Scopes ?? []) is { } refused) return refused;

        await applier.ApplyAsync(new ImportDocument { Clients = [client] }, cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);
        var created = await db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == client.ClientId, cancellationToken);
        // Never cached (the generated secret): every admin answer is sent with Cache-Control: no-store.
        return AdminCatalog.Created(new CreatedClient(AdminCatalog.ToImported(created), generated));
    }

    /// <summary>PUT: the body replaces the client; without clientSecret a confidential client keeps the secret it has.</summary>
    public static async Task<Results<JsonOk<ImportedClient>, BadRequestError, NotFoundError, ForbiddenError>> ReplaceAsync(
        string clientId, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, AdminPrivilegeCeiling ceiling)
    {
        var (body, error) = await AdminCatalog.ReadAsync<ImportedClient>(context.Request);
        if (error is not null) return error;
        return await ReplaceClientAsync(clientId, body!, context, db, applier, snapshots, urls, ceiling);
    }

    /// <summary>The replacement itself, for the admin API's JSON body and the console's form alike.</summary>
    public static async Task<Results<JsonOk<ImportedClient>, BadRequestError, NotFoundError, ForbiddenError>> ReplaceClientAsync(
        string clientId, ImportedClient body, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, AdminPrivilegeCeiling ceiling)
    {
        var cancellationToken = context.RequestAborted;
        if (body.ClientId is { } named && named != clientId) return AdminCatalog.Invalid(["clientId in the body differs from the one in the path"]);
        var client = body with { ClientId = clientId };

        var document = await AdminCatalog.CurrentAsync(db, cancellationToken);
        var index = document.Clients!.FindIndex(c => c.ClientId == clientId);
        if (index < 0) return AdminCatalog.NotFound("client");
        // Its admin scopes before and after: a new secret or redirect URI for an administrative client is its administrator's power.
        if (await ceiling.RefusalAsync(context, (document.Clients[index].Scopes ?? []).Concat(client.Scopes ?? [])) is { } refused) return refused;
        // The stored secret counts as the credential unless the body brings another one.
        document.Clients[index] = client.ClientSecret is null && client.Jwks is null && client.JwksUri is null && client.Public != true
            ? client with { ClientSecret = document.Clients[index].ClientSecret }
            : client;
        if (AdminCatalog.Problems(document, urls.Issuer) is { } problems) return problems;

        await applier.ApplyAsync(new ImportDocument { Clients = [client] }, CredentialWrites.AdminReplace, cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);
        return AdminCatalog.Ok(AdminCatalog.ToImported(await db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == clientId, cancellationToken)));
    }

    /// <summary>The client and the consents given to it go; its refresh tokens die with it (the client can no longer authenticate).</summary>
    public static async Task<Results<NoContent, NotFoundError, ForbiddenError>> DeleteAsync(
        string clientId, HttpContext context, TesseraDbContext db, SnapshotCache snapshots, AdminPrivilegeCeiling ceiling)
    {
        var cancellationToken = context.RequestAborted;
        var scopes = await db.Clients.Where(c => c.ClientId == clientId).Select(c => c.Scopes).SingleOrDefaultAsync(cancellationToken);
        if (scopes is null) return AdminCatalog.NotFound("client");
        if (await ceiling.RefusalAsync(context, SpaceDelimited.Split(scopes)) is { } refused) return refused;
        await AdminCatalog.DeleteAsync(db, snapshots, async () =>
        {
            await db.Consents.Where(c => c.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
            await db.Clients.Where(c => c.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        }, cancellationToken);
        return TypedResults.NoContent();
    }
}
