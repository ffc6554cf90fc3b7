namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>
/// draft-ietf-oauth-client-id-metadata-document §3: which https client_ids can be documents' URLs — https, with a path, without
/// fragment, credentials or dot segments. Anything else is an ordinary client_id, looked up in the catalog.
/// </summary>
internal static class ClientIdUrl
{
    /// <summary>Why an https client_id cannot be a document's URL, or null when it can.</summary>
    public static string? Problem(string clientId)
    {
        if (clientId.Length > 2000) return "it is longer than 2000 characters";
        if (!Uri.TryCreate(clientId, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps) return "it is not an https URL";
        if (url.UserInfo.Length > 0) return "it carries a user name or password";
        if (clientId.Contains('#', StringComparison.Ordinal)) return "it has a fragment";
        // §3: the path is required (a client is a document, not a whole site) and has no . or .. segment.
        if (url.AbsolutePath == "/") return "it has no path";
        var afterScheme = clientId["https://".Length..];
        var path = afterScheme[Math.Max(0, afterScheme.IndexOf('/', StringComparison.Ordinal))..].Split('?')[0];
        if (path.Split('/').Any(segment => segment is "." or ".." or "%2e" or "%2E" or "%2e%2e" or "%2E%2E"))
            return "its path has a . or .. segment";
        return null;
    }
}
