namespace Tessera.AspNetCore.ProtectedResource;

/// <summary>What the API says of itself in its RFC 9728 metadata (<c>MapTesseraProtectedResourceMetadata</c>).</summary>
public sealed class ProtectedResourceMetadataOptions
{
    /// <summary>RFC 9728 §2 <c>resource</c>: the API's identifier; the options' <c>Audience</c> when not set.</summary>
    public string? Resource { get; set; }

    /// <summary>RFC 9728 §2 <c>resource_name</c>: a name for people (a client's consent or error page may show it).</summary>
    public string? ResourceName { get; set; }

    /// <summary>RFC 9728 §2 <c>scopes_supported</c>: the scopes a client may ask for to call this API (omitted when empty).</summary>
    public ICollection<string> ScopesSupported { get; } = new List<string>();
}
