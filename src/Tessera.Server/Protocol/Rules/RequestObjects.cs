using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// RFC 9101 (JAR): an authorization request sent as a JWT the client signed — by value in <c>request</c>, at the
/// authorization endpoint or inside a pushed request. The object is verified with the keys the client registered, and
/// its claims become the request's parameters; nothing outside it is trusted (§6.3).
/// </summary>
internal sealed class RequestObjects(
    JsonWebTokenHandler jwtHandler, IssuerUrls urls, Microsoft.Extensions.Options.IOptions<TesseraOptions> options, IClientKeySets keySets)
{
    /// <summary>RFC 9101 §4 and §10.8: the media type a request object should name; plain JWT and none are accepted too.</summary>
    public const string MediaType = "oauth-authz-req+jwt";

    /// <summary>What a client may sign a request object with (discovery's request_object_signing_alg_values_supported); never none.</summary>
    public static IReadOnlyList<string> Algorithms => SigningAlgorithms.ClientAssertion;

    /// <summary>The parameters <paramref name="requestObject"/> carries, once it is proven to be <paramref name="client"/>'s.</summary>
    public async Task<Outcome<Dictionary<string, StringValues>>> ReadAsync(string requestObject, RegisteredClient client)
    {
        // RFC 9101 §6.1: an encrypted request object (five parts) would need keys of ours the client encrypts to; none are published.
        if (requestObject.Count(c => c == '.') != 2)
            return OAuthError.InvalidRequestObject("the request object must be a signed JWT (JWS compact serialization); encrypted request objects are not supported");
        // RFC 9101 §6.2: verified with the client's registered keys; a client that registered none cannot send one.
        if (!client.HasKeys)
            return OAuthError.InvalidRequestObject("the client registered no keys (jwks) to verify request objects with");
        var keys = await keySets.KeysOfAsync(client, CancellationToken.None);
        if (keys.Failed) return OAuthError.InvalidRequestObject(keys.Error.Description ?? "the client's keys cannot be had");

        var result = await jwtHandler.ValidateTokenAsync(requestObject, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.Value,
            TryAllIssuerSigningKeys = true,
            // RFC 9101 §10.2: alg none is refused; only the algorithms discovery names.
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            // RFC 9101 §10.8: the audience is this server, so an object made for another server is not replayed here.
            ValidAudience = urls.Issuer,
            ValidateIssuer = false,
            // exp and nbf are checked when present (RFC 9101 §4 makes neither mandatory).
            RequireExpirationTime = false,
            ClockSkew = options.Value.Limits.ClockSkew,
            // RFC 9101 §10.8: a typ, when present, names a request object (or a plain JWT), so another kind of JWT the
            // client signed (a client assertion is aud-ed here too) is not taken for a request.
            TypeValidator = (type, _, _) => string.IsNullOrEmpty(type) || type is MediaType or "JWT"
                ? type
                : throw new SecurityTokenInvalidTypeException($"the request object's typ must be {MediaType}"),
        });
        if (!result.IsValid)
            return OAuthError.InvalidRequestObject(result.Exception switch
            {
                SecurityTokenInvalidAudienceException => $"the request object's aud must be this server's issuer, {urls.Issuer}",
                SecurityTokenExpiredException => "the request object has expired",
                SecurityTokenInvalidTypeException => $"the request object's typ must be {MediaType}",
                SecurityTokenInvalidAlgorithmException => "the request object is signed with an algorithm this server does not accept",
                SecurityTokenMalformedException or ArgumentException => "the request object is not a well-formed JWT",
                _ => "the request object's signature does not verify with the client's registered keys",
            });
        var token = (JsonWebToken)result.SecurityToken;
        // RFC 9101 §6.2 (and §10.8): iss, when present, names the client that signed.
        if (token.TryGetPayloadValue<string>("iss", out var iss) && iss != client.ClientId)
            return OAuthError.InvalidRequestObject("the request object's iss must be the client_id");
        // RFC 9101 §5: client_id inside, when present, is the same client as outside.
        if (token.TryGetPayloadValue<string>(Parameters.ClientId, out var innerClientId) && innerClientId != client.ClientId)
            return OAuthError.InvalidRequestObject("the request object's client_id must be the client_id of the request");
        return ParametersOf(token);
    }

    /// <summary>The JWT's claims as authorization request parameters; the JWT's own claims (iss, aud, exp…) are not parameters.</summary>
    private static Outcome<Dictionary<string, StringValues>> ParametersOf(JsonWebToken token)
    {
        var parameters = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
        foreach (var claim in payload.RootElement.EnumerateObject())
        {
            if (JwtClaims.Contains(claim.Name)) continue;
            // RFC 9101 §4: request and request_uri must not appear inside a request object.
            if (claim.Name is Parameters.Request or Parameters.RequestUri)
                return OAuthError.InvalidRequestObject($"{claim.Name} must not appear inside a request object");
            string? value = claim.Value.ValueKind switch
            {
                JsonValueKind.String => claim.Value.GetString(),
                JsonValueKind.Number => claim.Value.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => claim.Value.GetRawText(),
                // OIDC Core §5.5: the claims parameter is a JSON object, carried as its JSON text.
                JsonValueKind.Object when claim.Name == "claims" => claim.Value.GetRawText(),
                _ => null,
            };
            if (value is null)
                return OAuthError.InvalidRequestObject(string.Create(CultureInfo.InvariantCulture, $"the request object's {claim.Name} must be a string"));
            parameters[claim.Name] = value;
        }
        return parameters;
    }

    /// <summary>RFC 7519 §4.1's registered claims: they describe the object, not the request.</summary>
    private static readonly HashSet<string> JwtClaims = new(StringComparer.Ordinal) { "iss", "aud", "exp", "nbf", "iat", "jti", "sub" };
}
