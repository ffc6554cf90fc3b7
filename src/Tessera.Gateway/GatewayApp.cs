using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.Gateway.Authentication;
using Tessera.Gateway.Configuration;
using Tessera.Gateway.Identity;
using Tessera.Gateway.Routing;
using Tessera.Gateway.Telemetry;

namespace Tessera.Gateway;

/// <summary>
/// Composition of the gateway: caller authentication, YARP routes with their scopes, and for every proxied request
/// the exchange of the caller's token for the internal identity token set in <c>Tessera-Identity</c>.
/// </summary>
public static class GatewayApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseKestrelHttpsConfiguration();
        // --config FILE: the Gateway and ReverseProxy sections in one JSON file; the command line still wins over it.
        if (builder.Configuration["config"] is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            builder.Configuration.AddCommandLine(args);
        }
        configure?.Invoke(builder);

        var section = builder.Configuration.GetSection(GatewayOptions.Section);
        var gateway = section.Get<GatewayOptions>() ?? new GatewayOptions();
        var problems = new GatewayOptionsValidator().Validate(null, gateway);
        if (problems.Failed) throw new OptionsValidationException(GatewayOptions.Section, typeof(GatewayOptions), problems.Failures);
        builder.Services.AddSingleton(Options.Create(gateway));
        builder.AddGatewayTelemetry();

        builder.Services.AddGatewayAuthentication(gateway);
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationPolicyProvider, RouteScopePolicyProvider>();
        builder.Services.AddSingleton<IdentityTokenExchanger>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<RouteScopes>()
            .AddTransforms(IdentityHeaderTransform.Add);

        var app = builder.Build();
        app.UseMiddleware<SessionCsrfGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSessionEndpoints();
        // RFC 9728: each public API the gateway fronts says where its tokens come from, and a 401 names its document.
        foreach (var audience in gateway.Audiences) app.MapTesseraProtectedResourceMetadata(GatewaySchemes.Bearer, audience);
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<IdentityExchangeMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
