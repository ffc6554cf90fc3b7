using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Protocol.Cors;

/// <summary>
/// The CORS policy of the endpoints a single-page app calls: one policy, built once, whose origin check is
/// <see cref="BrowserAppOrigins"/> — so ASP.NET Core's CORS service writes every header, and an origin no client allows
/// gets none (a preflight answered, granting nothing).
/// </summary>
internal sealed class BrowserAppCorsPolicy : ICorsPolicyProvider
{
    /// <summary>The policy name the endpoints carry (<see cref="BrowserAppCors.AnswersBrowserApps"/>).</summary>
    public const string Name = "tessera-browser-apps";

    // RFC 9449 §4.1 and §8: the DPoP proof header and the server's nonce header.
    private const string DPoP = "DPoP";
    private const string DPoPNonce = "DPoP-Nonce";

    private readonly Task<CorsPolicy?> _policy;

    public BrowserAppCorsPolicy(BrowserAppOrigins origins)
    {
        var policy = new CorsPolicyBuilder()
            // A custom origin check makes the CORS service send Vary: Origin with every granted answer.
            .SetIsOriginAllowed(origins.IsAllowed)
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            // RFC 9449 §4.1: a DPoP proof travels in its own header, so a browser must be allowed to send it.
            .WithHeaders(HeaderNames.ContentType, HeaderNames.Authorization, DPoP)
            // RFC 9449 §8: the server's nonce; RFC 6750 §3: why a bearer token was refused.
            .WithExposedHeaders(DPoPNonce, HeaderNames.WWWAuthenticate)
            .SetPreflightMaxAge(TimeSpan.FromHours(1))
            .Build();
        // Fetch standard §3.2.5: credentials are never allowed — the endpoints take tokens and forms, not the session cookie.
        policy.SupportsCredentials = false;
        _policy = Task.FromResult<CorsPolicy?>(policy);
    }

    // An endpoint that names another policy gets none of ours: the CORS middleware then adds nothing.
    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName) =>
        policyName == Name ? _policy : Task.FromResult<CorsPolicy?>(null);
}
