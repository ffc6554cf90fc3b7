using Tessera.Server.Catalog;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>RFC 7517 §5: the published public keys, current, next and retired-but-still-valid.</summary>
internal static class JwksEndpoint
{
    public static IResult Handle(HttpContext context, SnapshotCache snapshots)
    {
        // Short enough that a pre-published key is seen long before it signs; long enough to spare the server.
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(snapshots.Current.Keys.JwksDocument, "application/jwk-set+json");
    }
}
