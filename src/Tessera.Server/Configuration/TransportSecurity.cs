using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Configuration;

/// <summary>
/// What an https issuer promises the browser: cookies that never travel over plain HTTP (Secure, and the <c>__Host-</c>
/// prefix where the issuer has no path), HSTS on a public host, and the scheme and client address as a trusted
/// TLS-terminating proxy saw them.
/// </summary>
internal static class TransportSecurity
{
    /// <summary>HSTS for one year, this host only: subdomains may be other people's services, and preload is the operator's choice.</summary>
    private static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    public static void AddTransportSecurity(this IServiceCollection services, TesseraOptions options)
    {
        // Post-configured, so the pages' own cookie settings stay where they are and these apply last.
        foreach (var scheme in new[] { IdentityConstants.ApplicationScheme, IdentityConstants.ExternalScheme, IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme })
            services.AddOptions<CookieAuthenticationOptions>(scheme).PostConfigure<IssuerUrls>((cookie, urls) => Secure(cookie.Cookie, urls));
        services.AddOptions<AntiforgeryOptions>().PostConfigure<IssuerUrls>((antiforgery, urls) => Secure(antiforgery.Cookie, urls));

        services.AddHsts(hsts =>
        {
            hsts.MaxAge = HstsMaxAge;
            hsts.IncludeSubDomains = false;
            hsts.Preload = false;
            // Whether the host is loopback is decided once, from the issuer (UseTransportSecurity); requests name any host.
            hsts.ExcludedHosts.Clear();
        });

        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the operator's proxies are believed; the framework's loopback default is replaced, not extended.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.ForwardedHeaders.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in options.ForwardedHeaders.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // A chain of known proxies is walked back to the first address none of them vouches for.
            forwarded.ForwardLimit = null;
        });
    }

    /// <summary>First in the pipeline: everything after it sees the proxy's scheme and client address.</summary>
    public static void UseTransportSecurity(this WebApplication app, TesseraOptions options)
    {
        if (options.ForwardedHeaders.KnownProxies.Count > 0 || options.ForwardedHeaders.KnownNetworks.Count > 0)
            app.UseForwardedHeaders();
        var issuer = new Uri(options.Issuer);
        // RFC 6797 §7.2: sent on https responses only; §8.1: never for a loopback issuer (a developer's other local sites).
        if (issuer.Scheme == Uri.UriSchemeHttps && !issuer.IsLoopback) app.UseHsts();
    }

    public static void Validate(ForwardedHeadersSettings settings, List<string> errors)
    {
        foreach (var proxy in settings.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
            errors.Add($"Tessera:ForwardedHeaders:KnownProxies '{proxy}' is not an IP address.");
        foreach (var network in settings.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
            errors.Add($"Tessera:ForwardedHeaders:KnownNetworks '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/24).");
    }

    private static void Secure(CookieBuilder cookie, IssuerUrls urls)
    {
        if (!urls.Issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return;
        cookie.SecurePolicy = CookieSecurePolicy.Always;
        // RFC 6265bis §4.1.3.2: __Host- means Secure, Path=/ and no Domain, so no other host or path can set or shadow it.
        if (urls.PathBase.Length == 0 && cookie.Domain is null && cookie.Name is { } name && !name.StartsWith("__Host-", StringComparison.Ordinal))
        {
            cookie.Name = "__Host-" + name;
            cookie.Path = "/";
        }
    }
}
