using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authorization;

namespace Tessera.AspNetCore;

public static class TesseraExtensions
{
    /// <summary><c>services.AddAuthentication().AddTessera(o => { o.Authority = "…"; o.Audience = "…"; })</c>.</summary>
    public static AuthenticationBuilder AddTessera(this AuthenticationBuilder builder, Action<TesseraOptions> configure) =>
        builder.AddTessera(TesseraDefaults.AuthenticationScheme, configure);

    public static AuthenticationBuilder AddTessera(this AuthenticationBuilder builder, string scheme, Action<TesseraOptions> configure)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TesseraOptions>, TesseraPostConfigureOptions>());
        builder.Services.TryAddSingleton<ProtectedResource.MappedMetadataDocuments>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ScopeAuthorizationHandler>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, AcrAuthorizationHandler>());
        builder.Services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RefusalResultHandler>());
        return builder.AddScheme<TesseraOptions, TesseraHandler>(scheme, configure);
    }
}
