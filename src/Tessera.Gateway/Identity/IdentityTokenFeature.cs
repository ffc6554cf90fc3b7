namespace Tessera.Gateway.Identity;

/// <summary>The identity token the gateway obtained for this request, set by the proxy-pipeline step below.</summary>
internal sealed record IdentityTokenFeature(string Token);
