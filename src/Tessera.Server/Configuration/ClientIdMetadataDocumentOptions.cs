namespace Tessera.Server.Configuration;

/// <summary>
/// The <c>Tessera:ClientIdMetadataDocuments</c> section (draft-ietf-oauth-client-id-metadata-document): a client_id that
/// is an https URL names a JSON document of the client's metadata, fetched by this server on first use.
/// </summary>
public sealed class ClientIdMetadataDocumentOptions
{
    /// <summary>Off unless the operator says so: an https client_id is then an unknown client, and discovery says false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Fetch documents from loopback, private and link-local addresses too. Never in production: it lets anyone make this
    /// server call into its own network (SSRF). For tests and closed networks only.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>PEM files of root certificates trusted besides the platform's store (a private PKI); host names are always checked.</summary>
    public List<string> TrustedRootCertificates { get; set; } = [];

    /// <summary>A document larger than this is refused (the draft suggests 5 KB).</summary>
    [SettingRange(typeof(int), "1024", "1048576", ErrorMessage = "Tessera:ClientIdMetadataDocuments:MaxDocumentBytes must be between 1024 and 1048576.")]
    public int MaxDocumentBytes { get; set; } = 5 * 1024;

    /// <summary>How long one fetch (connect, TLS, response) may take.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Tessera:ClientIdMetadataDocuments:FetchTimeout must be between 1 second and 1 minute.")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The shortest time a document (or a failure to get one) is kept, whatever its Cache-Control says: a client_id in
    /// every request must not make this server fetch on every request.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Tessera:ClientIdMetadataDocuments:MinCacheLifetime must be between 1 second and 1 hour.")]
    public TimeSpan MinCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest, whatever max-age says: a client's changed metadata (a removed redirect URI) is seen within it.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Tessera:ClientIdMetadataDocuments:MaxCacheLifetime must be between 1 second and 7 days.")]
    public TimeSpan MaxCacheLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Kept when the response names no lifetime.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Tessera:ClientIdMetadataDocuments:DefaultCacheLifetime must be between 1 second and 7 days.")]
    public TimeSpan DefaultCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many documents' clients this node keeps; past it, the one fetched longest ago goes first.</summary>
    [SettingRange(typeof(int), "1", "1000000", ErrorMessage = "Tessera:ClientIdMetadataDocuments:MaxCachedDocuments must be between 1 and 1000000.")]
    public int MaxCachedDocuments { get; set; } = 10_000;

    /// <summary>Fetches running at once on this node; past it a request is answered temporarily_unavailable, not queued.</summary>
    [SettingRange(typeof(int), "1", "1000", ErrorMessage = "Tessera:ClientIdMetadataDocuments:MaxConcurrentFetches must be between 1 and 1000.")]
    public int MaxConcurrentFetches { get; set; } = 8;
}
