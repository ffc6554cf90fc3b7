using System.Text.Json.Serialization;

namespace Tessera.Server.Registration;

/// <summary>
/// RFC 7591 §2 client metadata, as a client sends it to /connect/register and as Tessera answers it back (§3.2.1,
/// RFC 7592 §3). Members Tessera does not know are ignored (§2: "MUST ignore").
/// </summary>
public sealed record ClientMetadata
{
    [JsonPropertyName("client_id")] public string? ClientId { get; init; }
    [JsonPropertyName("redirect_uris")] public List<string>? RedirectUris { get; init; }
    [JsonPropertyName("grant_types")] public List<string>? GrantTypes { get; init; }
    [JsonPropertyName("response_types")] public List<string>? ResponseTypes { get; init; }
    [JsonPropertyName("token_endpoint_auth_method")] public string? TokenEndpointAuthMethod { get; init; }
    [JsonPropertyName("client_name")] public string? ClientName { get; init; }
    [JsonPropertyName("client_uri")] public string? ClientUri { get; init; }
    [JsonPropertyName("logo_uri")] public string? LogoUri { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("jwks")] public System.Text.Json.JsonElement? Jwks { get; init; }
    [JsonPropertyName("jwks_uri")] public string? JwksUri { get; init; }
    [JsonPropertyName("post_logout_redirect_uris")] public List<string>? PostLogoutRedirectUris { get; init; }
    [JsonPropertyName("backchannel_logout_uri")] public string? BackchannelLogoutUri { get; init; }
    [JsonPropertyName("dpop_bound_access_tokens")] public bool? DpopBoundAccessTokens { get; init; }
    [JsonPropertyName("software_id")] public string? SoftwareId { get; init; }
    [JsonPropertyName("software_version")] public string? SoftwareVersion { get; init; }
}

/// <summary>What Tessera keeps of the metadata only to answer with it (the rest lives in the client's own columns).</summary>
public sealed record KeptMetadata(
    [property: JsonPropertyName("client_uri")] string? ClientUri,
    [property: JsonPropertyName("logo_uri")] string? LogoUri,
    [property: JsonPropertyName("software_id")] string? SoftwareId,
    [property: JsonPropertyName("software_version")] string? SoftwareVersion,
    [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod);
