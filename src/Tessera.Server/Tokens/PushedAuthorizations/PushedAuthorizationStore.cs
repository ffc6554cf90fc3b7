using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.PushedAuthorizations;

/// <summary>
/// RFC 9126 pushed authorization requests: stored under the SHA-256 of a 256-bit reference, bound to the pushing
/// client, short-lived, and consumed by one conditional UPDATE when a code is issued for them (on any node).
/// </summary>
internal sealed class PushedAuthorizationStore(ITesseraDbContextFactory databases, TimeProvider clock)
{
    /// <summary>RFC 9126 §2.2: the request_uri's form.</summary>
    public const string RequestUriPrefix = "urn:ietf:params:oauth:request_uri:";

    /// <summary>The request_uri of the stored request.</summary>
    public async Task<string> PushAsync(string clientId, IEnumerable<KeyValuePair<string, StringValues>> parameters, TimeSpan lifetime,
        CancellationToken cancellationToken)
    {
        var reference = SecretGenerator.NewSecret();
        await using var db = databases.Create();
        db.PushedAuthorizationRequests.Add(new PushedAuthorizationRequest
        {
            Hash = OpaqueHandles.Hash(reference),
            ClientId = clientId,
            Parameters = QueryString.Create(parameters).ToUriComponent().TrimStart('?'),
            ExpiresAt = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return RequestUriPrefix + reference;
    }

    /// <summary>
    /// The pushed parameters for this client's request_uri, while it is unexpired and unused; else the reason, as RFC
    /// 9126 §4 and OIDC Core §3.1.2.6 name it (invalid_request_uri).
    /// </summary>
    public async Task<Outcome<(byte[] Hash, Dictionary<string, StringValues> Parameters)>> FindAsync(
        string requestUri, string? clientId, CancellationToken cancellationToken)
    {
        const string unusable = "the request_uri is unknown, expired, already used or another client's";
        if (!requestUri.StartsWith(RequestUriPrefix, StringComparison.Ordinal) || requestUri.Length > RequestUriPrefix.Length + 64)
            return OAuthError.InvalidRequestUri("request_uri must be one this server returned from its pushed authorization request endpoint");
        var hash = OpaqueHandles.Hash(requestUri[RequestUriPrefix.Length..]);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var row = await db.PushedAuthorizationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Hash == hash, cancellationToken);
        // RFC 9126 §4: bound to the client that pushed it; one client cannot use another's request_uri.
        if (row is null || row.ClientId != clientId || row.ExpiresAt <= now || row.ConsumedAt is not null)
            return OAuthError.InvalidRequestUri(unusable);
        return (hash, QueryHelpers.ParseQuery(row.Parameters));
    }

    /// <summary>RFC 9126 §4: used once — true for the one request that gets a code from it, on any number of nodes.</summary>
    public async Task<bool> ConsumeAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        return await db.PushedAuthorizationRequests.Where(r => r.Hash == hash && r.ConsumedAt == null && r.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConsumedAt, now), cancellationToken) == 1;
    }
}
