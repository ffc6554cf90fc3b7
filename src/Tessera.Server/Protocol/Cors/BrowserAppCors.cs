using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Protocol.Cors;

/// <summary>
/// CORS for single-page apps without a backend: ASP.NET Core's CORS middleware with <see cref="BrowserAppCorsPolicy"/>,
/// on the endpoints marked <see cref="AnswersBrowserApps"/> only — never the authorization endpoint, pages or the admin API.
/// </summary>
internal static class BrowserAppCors
{
    public static IServiceCollection AddBrowserAppCors(this IServiceCollection services)
    {
        services.AddSingleton<BrowserAppOrigins>();
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, BrowserAppCorsPolicy>());
        return services;
    }

    /// <summary>After routing (the policy is the endpoint's) and before authentication and the rate limiter, so a preflight ends here.</summary>
    public static IApplicationBuilder UseBrowserAppCors(this IApplicationBuilder app)
    {
        app.UseCors();
        var origins = app.ApplicationServices.GetRequiredService<BrowserAppOrigins>();
        return app.Use((context, next) =>
        {
            // The CORS middleware sends Vary: Origin only with an answer it grants (when the response starts); the others
            // vary by Origin too, and discovery and the JWKS are publicly cacheable, so a cache must not hand one
            // origin's answer to another.
            if (context.GetEndpoint()?.Metadata.GetMetadata<IEnableCorsAttribute>() is { PolicyName: BrowserAppCorsPolicy.Name }
                && !(context.Request.Headers.Origin is [{ } origin] && origins.IsAllowed(origin)))
                context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
            return next(context);
        });
    }

    /// <summary>The endpoint answers browser apps' cross-origin requests and preflights (RFC 7591 registration, when it comes, too).</summary>
    public static TBuilder AnswersBrowserApps<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireCors(BrowserAppCorsPolicy.Name);
}
