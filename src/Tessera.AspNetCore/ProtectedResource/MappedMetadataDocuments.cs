using System.Collections.Concurrent;

namespace Tessera.AspNetCore.ProtectedResource;

/// <summary>
/// The path of each scheme's metadata document once <c>MapTesseraProtectedResourceMetadata</c> has mapped it: the
/// handler then names it in every 401 challenge (RFC 9728 §5.1), and says nothing of it before.
/// </summary>
internal sealed class MappedMetadataDocuments
{
    private readonly ConcurrentDictionary<string, string> _paths = new(StringComparer.Ordinal);

    public void Add(string scheme, string path) => _paths[scheme] = path;

    public string? PathOf(string scheme) => _paths.GetValueOrDefault(scheme);
}
