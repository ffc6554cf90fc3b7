using System.Collections.Concurrent;

namespace Tessera.AspNetCore.ProtectedResource;

/// <summary>
/// The metadata documents each scheme has mapped (<c>MapTesseraProtectedResourceMetadata</c>): the handler names one in
/// every 401 challenge (RFC 9728 §5.1) and every 403 insufficient_scope, and says nothing of them before. A scheme in
/// front of several APIs (the gateway) maps one document per API; a challenge names the one whose resource path the
/// request's path falls under.
/// </summary>
internal sealed class MappedMetadataDocuments
{
    private readonly ConcurrentDictionary<string, ImmutableDocuments> _documents = new(StringComparer.Ordinal);

    private sealed record ImmutableDocuments(IReadOnlyList<(string Path, string ResourcePath)> Documents);

    /// <summary>False when the scheme already has a document at that path (two resources with the same path).</summary>
    public bool Add(string scheme, string path, string resourcePath)
    {
        var added = true;
        _documents.AddOrUpdate(scheme, _ => new([(path, resourcePath)]), (_, known) =>
        {
            if (known.Documents.Any(d => d.Path == path)) { added = false; return known; }
            return new([.. known.Documents, (path, resourcePath)]);
        });
        return added;
    }

    /// <summary>The document for a request to <paramref name="requestPath"/>: the longest resource path it is under, else the first mapped.</summary>
    public string? PathOf(string scheme, string requestPath)
    {
        if (!_documents.TryGetValue(scheme, out var mapped)) return null;
        var best = mapped.Documents[0];
        var bestLength = -1;
        foreach (var document in mapped.Documents)
        {
            var under = document.ResourcePath.Length == 0 || requestPath.Equals(document.ResourcePath, StringComparison.Ordinal)
                || requestPath.StartsWith(document.ResourcePath + "/", StringComparison.Ordinal);
            if (under && document.ResourcePath.Length > bestLength) (best, bestLength) = (document, document.ResourcePath.Length);
        }
        return best.Path;
    }
}
