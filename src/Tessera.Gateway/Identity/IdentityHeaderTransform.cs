using Tessera.AspNetCore;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Tessera.Gateway.Identity;

/// <summary>
/// YARP request transform: whatever the caller sent as identity header, Authorization or cookies stays at the gateway;
/// the upstream receives only the identity token obtained for this request.
/// </summary>
internal static class IdentityHeaderTransform
{
    public static void Add(TransformBuilderContext builder) => builder.AddRequestTransform(context =>
    {
        var headers = context.ProxyRequest.Headers;
        headers.Remove(TesseraDefaults.IdentityHeader);   // a caller cannot forge it
        headers.Remove("Authorization");
        headers.Remove("Cookie");
        var identity = context.HttpContext.Features.Get<IdentityTokenFeature>();
        if (identity is not null) headers.TryAddWithoutValidation(TesseraDefaults.IdentityHeader, identity.Token);
        return ValueTask.CompletedTask;
    });
}
