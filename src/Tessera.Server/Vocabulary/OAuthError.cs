namespace Tessera.Server.Vocabulary;

/// <summary>
/// An error response (RFC 6749 §5.2). Factories are named after the error codes; the description is a literal at the
/// call site, so a message seen on the wire leads to its rule in one search. Descriptions never echo secrets.
/// </summary>
public sealed record OAuthError(
    string Error,
    string Description,
    int StatusCode = StatusCodes.Status400BadRequest,
    string? WwwAuthenticate = null)
{
    /// <summary>The longest description sent anywhere (JSON, redirect URI, error page).</summary>
    public const int MaxDescriptionLength = 256;

    /// <summary>
    /// Many descriptions name the offending value (a scope, a resource); capped here, in one place, so no endpoint
    /// echoes an attacker's 60 KB parameter back into a response, a redirect URI or a log line.
    /// </summary>
    public string Description { get; } = Capped(Description);

    /// <summary>
    /// RFC 6749 §4.1.2.1: set when the client and its redirect URI were verified, so the error goes back to the client
    /// there (with the request's state); null means the user is told on the error page and never redirected.
    /// </summary>
    public ErrorRedirect? Redirect { get; init; }

    private static string Capped(string description) =>
        description.Length <= MaxDescriptionLength ? description : string.Concat(description.AsSpan(0, MaxDescriptionLength - 1), "…");

    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);

    /// <summary>RFC 6749 §5.2: 401, and a <c>WWW-Authenticate</c> challenge when the client used HTTP Basic.</summary>
    public static OAuthError InvalidClient(string description, bool usedBasic) =>
        new("invalid_client", description, StatusCodes.Status401Unauthorized, usedBasic ? "Basic realm=\"tessera\", charset=\"UTF-8\"" : null);

    public static OAuthError InvalidGrant(string description) => new("invalid_grant", description);
    public static OAuthError UnauthorizedClient(string description) => new("unauthorized_client", description);
    public static OAuthError UnsupportedGrantType(string description) => new("unsupported_grant_type", description);
    public static OAuthError InvalidScope(string description) => new("invalid_scope", description);

    // RFC 6749 §4.1.2.1 and OIDC Core §3.1.2.6: errors sent back to the client's redirect_uri.
    public static OAuthError AccessDenied(string description) => new("access_denied", description);
    public static OAuthError UnsupportedResponseType(string description) => new("unsupported_response_type", description);
    public static OAuthError LoginRequired(string description) => new("login_required", description);
    public static OAuthError ConsentRequired(string description) => new("consent_required", description);
    public static OAuthError InteractionRequired(string description) => new("interaction_required", description);

    /// <summary>OpenID Connect Unmet Authentication Requirements 1.0 §2: the sign-in the request demands cannot be had.</summary>
    public static OAuthError UnmetAuthenticationRequirements(string description) => new("unmet_authentication_requirements", description);

    /// <summary>OIDC Core §3.1.2.6: request_uri by reference to elsewhere (§6.2) is not supported.</summary>
    public static OAuthError RequestUriNotSupported(string description) => new("request_uri_not_supported", description);

    /// <summary>OIDC Core §3.1.2.6, RFC 9126 §4: the request_uri is not one this client may use now.</summary>
    public static OAuthError InvalidRequestUri(string description) => new("invalid_request_uri", description);

    /// <summary>RFC 9101 §6.3 / OIDC Core §3.1.2.6: the request object is invalid.</summary>
    public static OAuthError InvalidRequestObject(string description) => new("invalid_request_object", description);

    /// <summary>RFC 7591 §3.2.2: a redirect URI a client tried to register is not acceptable.</summary>
    public static OAuthError InvalidRedirectUri(string description) => new("invalid_redirect_uri", description);

    /// <summary>RFC 7591 §3.2.2: a metadata value a client tried to register is not acceptable.</summary>
    public static OAuthError InvalidClientMetadata(string description) => new("invalid_client_metadata", description);

    /// <summary>RFC 8707 §2: the requested resource is invalid, unknown, or not allowed.</summary>
    public static OAuthError InvalidTarget(string description) => new("invalid_target", description);

    // RFC 8628 §3.5: answers to a device polling the token endpoint.
    public static OAuthError AuthorizationPending(string description) => new("authorization_pending", description);
    public static OAuthError SlowDown(string description) => new("slow_down", description);
    public static OAuthError ExpiredToken(string description) => new("expired_token", description);

    /// <summary>RFC 7009 §2.2.1.</summary>
    public static OAuthError UnsupportedTokenType(string description) => new("unsupported_token_type", description);

    /// <summary>RFC 9449 §5: the DPoP proof at the token endpoint is missing where required, malformed or replayed.</summary>
    public static OAuthError InvalidDpopProof(string description) => new("invalid_dpop_proof", description);

    /// <summary>RFC 9449 §8: the proof must carry a nonce this server gave (the response's DPoP-Nonce header has one).</summary>
    public static OAuthError UseDpopNonce(string description) => new("use_dpop_nonce", description);

    /// <summary>RFC 9449 §7.1: at a resource (UserInfo) the proof is refused with 401 and the DPoP scheme's challenge.</summary>
    public static OAuthError InvalidDpopProofAtResource(string description, string algorithms) =>
        new("invalid_dpop_proof", description, StatusCodes.Status401Unauthorized,
            $"DPoP error=\"invalid_dpop_proof\", error_description=\"{description}\", algs=\"{algorithms}\"");

    /// <summary>RFC 9449 §7.1: a token refused at a resource for how it was presented (bound but sent as Bearer, or the reverse).</summary>
    public static OAuthError InvalidTokenForDpop(string description, string algorithms) =>
        new("invalid_token", description, StatusCodes.Status401Unauthorized,
            $"DPoP error=\"invalid_token\", error_description=\"{description}\", algs=\"{algorithms}\"");

    /// <summary>RFC 9449 §9: a resource's nonce challenge, 401 with the DPoP scheme.</summary>
    public static OAuthError UseDpopNonceAtResource(string description, string algorithms) =>
        new("use_dpop_nonce", description, StatusCodes.Status401Unauthorized,
            $"DPoP error=\"use_dpop_nonce\", error_description=\"{description}\", algs=\"{algorithms}\"");

    /// <summary>Not an OAuth code: the admin and PAT APIs' answer for a name or id they do not know (HTTP 404).</summary>
    public static OAuthError NotFound(string description) => new("not_found", description, StatusCodes.Status404NotFound);

    /// <summary>RFC 6750 §3.1: bearer-token errors for the admin API.</summary>
    public static OAuthError InvalidToken(string description) =>
        new("invalid_token", description, StatusCodes.Status401Unauthorized, $"Bearer error=\"invalid_token\", error_description=\"{description}\"");

    /// <summary>RFC 9470 §3: the user's sign-in behind the token is too old for this request; max_age says how old it may be.</summary>
    public static OAuthError InsufficientUserAuthentication(string description, long maxAgeSeconds) =>
        new("insufficient_user_authentication", description, StatusCodes.Status401Unauthorized,
            $"Bearer error=\"insufficient_user_authentication\", error_description=\"{description}\", max_age={maxAgeSeconds}");

    /// <summary>RFC 9470 §3: the user's sign-in behind the token is of too low a class; acr_values says which would do.</summary>
    public static OAuthError InsufficientUserAuthentication(string description, string acrValues) =>
        new("insufficient_user_authentication", description, StatusCodes.Status401Unauthorized,
            $"Bearer error=\"insufficient_user_authentication\", error_description=\"{description}\", acr_values=\"{acrValues}\"");

    public static OAuthError InsufficientScope(string description, string scope) =>
        new("insufficient_scope", description, StatusCodes.Status403Forbidden, $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"");
}

/// <summary>Where an authorization error is sent back: the verified redirect URI and the request's state.</summary>
public sealed record ErrorRedirect(string RedirectUri, string? State);
