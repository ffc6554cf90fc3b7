namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>A document's host resolved only to addresses this server may not connect to (see <see cref="PublicAddresses"/>).</summary>
internal sealed class RefusedAddressException(string host)
    : IOException($"'{host}' resolves to no public address; documents are fetched from the public internet only")
{
}
