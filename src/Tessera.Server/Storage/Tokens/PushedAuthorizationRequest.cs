namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// RFC 9126: an authorization request a client pushed to <c>/connect/par</c>, referred to by its request_uri. Only the
/// SHA-256 of the reference is stored; the parameters are the pushed form, as it came.
/// </summary>
public sealed class PushedAuthorizationRequest
{
    /// <summary>SHA-256 of the reference that follows <c>urn:ietf:params:oauth:request_uri:</c>.</summary>
    public required byte[] Hash { get; set; }

    /// <summary>RFC 9126 §4: the request_uri is bound to the client that pushed it.</summary>
    public required string ClientId { get; set; }

    /// <summary>The pushed parameters, form-urlencoded (they were validated before the row was written).</summary>
    public required string Parameters { get; set; }

    public long ExpiresAt { get; set; }

    /// <summary>When a code was issued for it; RFC 9126 §4: a request_uri is used once.</summary>
    public long? ConsumedAt { get; set; }
}
