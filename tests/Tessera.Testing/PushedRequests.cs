using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Tessera.Server.Storage;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Tokens.PushedAuthorizations;

namespace Tessera.Testing;

/// <summary>
/// Tests of clients that push (RFC 9126): what a client sent behind a request_uri, used or not, read from the row the
/// server stored. The server itself never reads a used or expired request back, so this lives here, not in its store.
/// </summary>
public static class PushedRequests
{
    public static async Task<Dictionary<string, StringValues>> ParametersAsync(TesseraServer server, string requestUri)
    {
        var hash = OpaqueHandles.Hash(requestUri[PushedAuthorizationStore.RequestUriPrefix.Length..]);
        await using var db = server.Services.GetRequiredService<ITesseraDbContextFactory>().Create();
        var row = await db.PushedAuthorizationRequests.AsNoTracking().SingleAsync(r => r.Hash == hash);
        return QueryHelpers.ParseQuery(row.Parameters);
    }
}
