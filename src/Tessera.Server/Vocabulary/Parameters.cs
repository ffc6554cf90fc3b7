using Tessera.Protocol;

namespace Tessera.Server.Vocabulary;

/// <summary>Request and response parameter names, as the RFCs spell them.</summary>
public static class Parameters
{
    public const string GrantType = "grant_type";
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";
    public const string ClientAssertion = "client_assertion";
    public const string ClientAssertionType = "client_assertion_type";
    public const string Scope = "scope";
    public const string Resource = "resource";
    public const string Audience = "audience";
    public const string Token = "token";
    public const string TokenTypeHint = "token_type_hint";

    // RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3: the authorization request and the code grant.
    public const string ResponseType = "response_type";
    public const string ResponseMode = "response_mode";
    public const string RedirectUri = "redirect_uri";
    public const string State = "state";
    public const string Nonce = "nonce";
    public const string Prompt = "prompt";
    public const string MaxAge = "max_age";
    public const string LoginHint = "login_hint";
    /// <summary>OIDC Core §3.1.2.1: the languages the user reads, in order of preference (the pages only).</summary>
    public const string UiLocales = "ui_locales";

    /// <summary>OIDC Core §3.1.2.1: the authentication context classes the client asks for, in order of preference.</summary>
    public const string AcrValues = "acr_values";
    public const string CodeChallenge = "code_challenge";
    public const string CodeChallengeMethod = "code_challenge_method";

    // OIDC Core §6: passing the request as a JWT, by value or by reference (not supported; refused).
    public const string Request = "request";
    public const string RequestUri = "request_uri";
    public const string Code = "code";
    public const string CodeVerifier = "code_verifier";
    public const string RefreshToken = "refresh_token";

    // OIDC RP-Initiated Logout 1.0 §2.
    public const string IdTokenHint = "id_token_hint";
    public const string PostLogoutRedirectUri = "post_logout_redirect_uri";

    // RFC 8628 §3.2: the device authorization response and the device code grant.
    public const string DeviceCode = "device_code";
    public const string UserCode = "user_code";

    // RFC 8693 §2.1 and §2.2.1: the token-exchange request and response.
    public const string SubjectToken = "subject_token";
    public const string SubjectTokenType = "subject_token_type";
    public const string ActorToken = "actor_token";
    public const string ActorTokenType = "actor_token_type";
    public const string RequestedTokenType = "requested_token_type";
    public const string IssuedTokenType = "issued_token_type";
    public const string Error = "error";
    public const string ErrorDescription = "error_description";
}

/// <summary>Grant types (RFC 6749 §4, RFC 8628, RFC 8693).</summary>
public static class GrantTypes
{
    public const string ClientCredentials = "client_credentials";
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string DeviceCode = GrantTypeUris.DeviceCode;
    public const string TokenExchange = GrantTypeUris.TokenExchange;

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        ClientCredentials, AuthorizationCode, RefreshToken, DeviceCode, TokenExchange,
    };
}

/// <summary>Client authentication methods (RFC 7591 §2, OIDC Core §9).</summary>
public static class ClientAuthenticationMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>RFC 7523 §2.2: the only assertion type for JWT client authentication.</summary>
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
}

/// <summary>Token type hints (RFC 7009 §2.1, RFC 7662 §2.1) and token_type values.</summary>
public static class TokenTypes
{
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string Bearer = "Bearer";

    /// <summary>RFC 9449 §5: the token_type of a DPoP-bound access token, and the Authorization scheme it is sent with.</summary>
    public const string DPoP = "DPoP";

    /// <summary>RFC 8693 §3: token type identifiers.</summary>
    public const string AccessTokenUri = TokenTypeUris.AccessToken;
    public const string IdTokenUri = TokenTypeUris.IdToken;
    public const string JwtUri = TokenTypeUris.Jwt;

    /// <summary>RFC 9068 §2.1: the <c>typ</c> header of a JWT access token.</summary>
    public const string AccessTokenJwtType = JwtTypes.AccessToken;
}

/// <summary>Claim names used in tokens and introspection responses.</summary>
public static class Claims
{
    public const string Issuer = "iss";
    public const string Subject = "sub";
    public const string Audience = "aud";
    public const string ExpiresAt = "exp";
    public const string IssuedAt = "iat";
    public const string NotBefore = "nbf";
    public const string JwtId = "jti";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Active = "active";
    public const string TokenType = "token_type";

    /// <summary>RFC 8693 §4.1: the acting party, with earlier actors nested inside.</summary>
    public const string Actor = "act";

    /// <summary>RFC 7800 §3.1 confirmation, and RFC 9449 §6.1 its member jkt: the thumbprint of the key a token is bound to.</summary>
    public const string Confirmation = "cnf";
    public const string KeyThumbprint = "jkt";

    /// <summary>OIDC Core §2, RFC 9068 §2.2.1: when the user behind the token signed in.</summary>
    public const string AuthTime = "auth_time";

    /// <summary>OIDC Core §2: the authentication context class of the sign-in (<see cref="AuthenticationContextClasses"/>).</summary>
    public const string Acr = "acr";

    /// <summary>OIDC Core §2, RFC 8176: the authentication methods of the sign-in, an array.</summary>
    public const string Amr = "amr";
}
