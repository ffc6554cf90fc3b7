using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Roles;
using Tessera.Server.Storage;

namespace Tessera.Server.Admin;

/// <summary>
/// /admin/apis: list, show, create, replace, delete, in the import file's format. Removing an API (or a scope of it)
/// that a client still uses is refused, naming the client, as an import would be.
/// </summary>
internal static class AdminApis
{
    public sealed record ApiList(IReadOnlyList<ImportedApi> Apis);

    public static async Task<JsonOk<ApiList>> ListAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        var apis = await db.ApiResources.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken);
        return AdminCatalog.Ok(new ApiList([.. apis.Select(AdminCatalog.ToImported)]));
    }

    public static async Task<Results<JsonOk<ImportedApi>, NotFoundError>> GetAsync(string name, TesseraDbContext db, CancellationToken cancellationToken) =>
        await db.ApiResources.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name, cancellationToken) is { } api
            ? AdminCatalog.Ok(AdminCatalog.ToImported(api))
            : AdminCatalog.NotFound("API");

    public static async Task<Results<JsonCreated<ImportedApi>, BadRequestError>> CreateAsync(HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls)
    {
        var (api, error) = await AdminCatalog.ReadAsync<ImportedApi>(context.Request);
        if (error is not null) return error;
        return await CreateApiAsync(api!, context, db, applier, snapshots, urls);
    }

    /// <summary>The creation itself, for the admin API's JSON body and the console's editor alike.</summary>
    public static async Task<Results<JsonCreated<ImportedApi>, BadRequestError>> CreateApiAsync(
        ImportedApi api, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls)
    {
        var cancellationToken = context.RequestAborted;
        if (api.Name is { } name && await db.ApiResources.AnyAsync(a => a.Name == name, cancellationToken))
            return AdminCatalog.Invalid([$"API '{name}' already exists; update it with PUT /admin/apis/{name}"]);

        var document = await AdminCatalog.CurrentAsync(db, cancellationToken);
        document.ApiResources!.Add(api);
        if (AdminCatalog.Problems(document, urls.Issuer) is { } problems) return problems;

        await applier.ApplyAsync(new ImportDocument { ApiResources = [api] }, cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);
        return AdminCatalog.Created(await ShowAsync(db, api.Name!, cancellationToken));
    }

    public static async Task<Results<JsonOk<ImportedApi>, BadRequestError, NotFoundError>> ReplaceAsync(
        string name, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls, PersonalAccessTokenCoverage coverage)
    {
        var (body, error) = await AdminCatalog.ReadAsync<ImportedApi>(context.Request);
        if (error is not null) return error;
        return await ReplaceApiAsync(name, body!, context, db, applier, snapshots, urls, coverage);
    }

    /// <summary>The replacement itself, for the admin API's JSON body and the console's editor alike.</summary>
    public static async Task<Results<JsonOk<ImportedApi>, BadRequestError, NotFoundError>> ReplaceApiAsync(
        string name, ImportedApi body, HttpContext context, TesseraDbContext db, ImportApplier applier, SnapshotCache snapshots, IssuerUrls urls,
        PersonalAccessTokenCoverage coverage)
    {
        var cancellationToken = context.RequestAborted;
        if (body.Name is { } named && named != name) return AdminCatalog.Invalid(["name in the body differs from the one in the path"]);
        var api = body with { Name = name };

        var document = await AdminCatalog.CurrentAsync(db, cancellationToken);
        var index = document.ApiResources!.FindIndex(a => a.Name == name);
        if (index < 0) return AdminCatalog.NotFound("API");
        document.ApiResources[index] = api;
        if (AdminCatalog.Problems(document, urls.Issuer) is { } problems) return problems;

        await applier.ApplyAsync(new ImportDocument { ApiResources = [api] }, cancellationToken);
        await snapshots.RefreshAsync(force: true, cancellationToken);
        // Roles (issue 16): an API that became rbac takes its scopes from everyone without a role that holds them.
        await coverage.EndUncoveredAsync(null, cancellationToken);
        return AdminCatalog.Ok(await ShowAsync(db, name, cancellationToken));
    }

    public static async Task<Results<NoContent, BadRequestError, NotFoundError>> DeleteAsync(string name, HttpContext context, TesseraDbContext db, SnapshotCache snapshots, IssuerUrls urls)
    {
        var cancellationToken = context.RequestAborted;
        var document = await AdminCatalog.CurrentAsync(db, cancellationToken);
        if (document.ApiResources!.RemoveAll(a => a.Name == name) == 0) return AdminCatalog.NotFound("API");
        // Clients that still name its scopes make the document invalid: the operator removes those scopes first.
        if (AdminCatalog.Problems(document, urls.Issuer) is { } problems) return problems;

        await AdminCatalog.DeleteAsync(db, snapshots,
            () => db.ApiResources.Where(a => a.Name == name).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<ImportedApi> ShowAsync(TesseraDbContext db, string name, CancellationToken cancellationToken) =>
        AdminCatalog.ToImported(await db.ApiResources.AsNoTracking().SingleAsync(a => a.Name == name, cancellationToken));
}
