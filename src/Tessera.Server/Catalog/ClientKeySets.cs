using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Catalog;

/// <summary>
/// The keys a client signs with (private_key_jwt assertions, request objects): those it registered in <c>jwks</c>, or —
/// for a client that registered a <c>jwks_uri</c> — the set fetched from there (implemented in
/// Registration/MetadataDocuments with the same SSRF rules as metadata documents, kept as its cache headers say).
/// </summary>
public interface IClientKeySets
{
    /// <summary>The client's verification keys, or why they cannot be had (invalid_client).</summary>
    ValueTask<Outcome<SecurityKey[]>> KeysOfAsync(RegisteredClient client, CancellationToken cancellationToken);
}
