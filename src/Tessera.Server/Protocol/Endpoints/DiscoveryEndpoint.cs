using System.Runtime.CompilerServices;
using System.Text.Json;
using Tessera.Protocol.Dpop;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// Server metadata: RFC 8414 (<c>/.well-known/oauth-authorization-server</c>) and OpenID Connect Discovery 1.0
/// (<c>/.well-known/openid-configuration</c>). The document is serialized once per catalog, like the JWKS with its key ring.
/// </summary>
internal sealed class DiscoveryEndpoint(IssuerUrls urls, GrantTable grants, SnapshotCache snapshots, Microsoft.Extensions.Options.IOptions<TesseraOptions> options)
{
    // Keyed by the catalog instance, so a document is never paired with another snapshot's version, and the table is
    // safe for concurrent requests (a version/body pair in a plain field could be read half-written). A replaced catalog's
    // entry goes with the catalog.
    private readonly ConditionalWeakTable<ClientCatalog, byte[]> _documents = new();

    public IResult Handle(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(Document(), "application/json");
    }

    private byte[] Document() => _documents.GetValue(snapshots.Current.Catalog, Build);

    private byte[] Build(ClientCatalog catalog)
    {
        string[] authMethods = [ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.PrivateKeyJwt];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("issuer", urls.Issuer);
            json.WriteString("token_endpoint", urls.Token);
            json.WriteString("jwks_uri", urls.Jwks);
            json.WriteString("introspection_endpoint", urls.Introspection);
            json.WriteString("revocation_endpoint", urls.Revocation);
            json.WriteString("authorization_endpoint", urls.Authorize);
            json.WriteString("userinfo_endpoint", urls.UserInfo);
            json.WriteString("device_authorization_endpoint", urls.DeviceAuthorization);
            // RFC 9126 §5: where requests are pushed, and whether every client must.
            json.WriteString("pushed_authorization_request_endpoint", urls.PushedAuthorization);
            json.WriteBoolean("require_pushed_authorization_requests", options.Value.Par.Required);
            // RFC 8414 §2 / RFC 7591: only when the operator opened registration.
            if (options.Value.Registration.Enabled) json.WriteString("registration_endpoint", urls.Url(EndpointPaths.Registration));
            // draft-ietf-oauth-client-id-metadata-document §5: an https client_id is read as the client's metadata document.
            json.WriteBoolean("client_id_metadata_document_supported", options.Value.ClientIdMetadataDocuments.Enabled);
            json.WriteString("end_session_endpoint", urls.EndSession);
            // OIDC Back-Channel Logout 1.0 §2.1: logout tokens are sent, and carry sid.
            json.WriteBoolean("backchannel_logout_supported", true);
            json.WriteBoolean("backchannel_logout_session_supported", true);
            WriteArray(json, "grant_types_supported", grants.GrantTypes.Order(StringComparer.Ordinal));
            WriteArray(json, "response_types_supported", ["code"]);
            WriteArray(json, "response_modes_supported", ["query"]);
            WriteArray(json, "code_challenge_methods_supported", [Pkce.S256]);
            WriteArray(json, "id_token_signing_alg_values_supported", [SigningAlgorithms.RS256]);
            WriteArray(json, "prompt_values_supported", ["none", "login", "consent"]);
            WriteArray(json, "claims_supported", ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "at_hash", "azp", "sid",
                "name", "preferred_username", "email", "email_verified"]);
            // OIDC Discovery §3: the acr values ID and access tokens carry (a second factor or not).
            WriteArray(json, "acr_values_supported", AuthenticationContextClasses.Supported);
            // RFC 9449 §5.1: the algorithms DPoP proofs may be signed with, at the token endpoint and UserInfo.
            WriteArray(json, "dpop_signing_alg_values_supported", DpopAlgorithms.Supported);
            // RFC 9207 §3: the authorization response carries iss.
            json.WriteBoolean("authorization_response_iss_parameter_supported", true);
            WriteArray(json, "scopes_supported", ["openid", "profile", "email", "offline_access", .. catalog.ApisByScope.Keys.Order(StringComparer.Ordinal)]);
            // "none": public clients at the token endpoint, for the authorization code, refresh token and device code grants.
            WriteArray(json, "token_endpoint_auth_methods_supported", [.. authMethods, "none"]);
            WriteArray(json, "token_endpoint_auth_signing_alg_values_supported", SigningAlgorithms.ClientAssertion);
            WriteArray(json, "introspection_endpoint_auth_methods_supported", authMethods);
            // RFC 7009 §2.1: public clients revoke their own tokens with client_id alone.
            WriteArray(json, "revocation_endpoint_auth_methods_supported", [.. authMethods, "none"]);
            WriteArray(json, "subject_types_supported", ["public"]);
            // RFC 9101: signed request objects by value (request) and inside pushed requests; OIDC Discovery §3's
            // request_uri_parameter_supported defaults to true, but a request_uri is only ever a pushed request's (RFC 9126).
            json.WriteBoolean("request_parameter_supported", true);
            json.WriteStartArray("request_object_signing_alg_values_supported");
            foreach (var alg in RequestObjects.Algorithms) json.WriteStringValue(alg);
            json.WriteEndArray();
            json.WriteBoolean("request_uri_parameter_supported", false);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
