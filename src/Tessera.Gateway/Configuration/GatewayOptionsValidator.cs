using Microsoft.Extensions.Options;

namespace Tessera.Gateway.Configuration;

/// <summary>Every problem of the Gateway section at once, at start.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
            problems.Add("Gateway:Authority must be the absolute URL of the Tessera issuer");
        else if (options.RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)
            problems.Add("Gateway:Authority must use https (set Gateway:RequireHttpsMetadata=false only for a loopback issuer)");
        if (string.IsNullOrWhiteSpace(options.ClientId)) problems.Add("Gateway:ClientId is required (the gateway's client at Tessera)");
        if (options.ClientSecret.Length < 16) problems.Add("Gateway:ClientSecret is required (at least 16 characters)");
        if (options.Audiences.Length == 0) problems.Add("Gateway:Audiences must name at least one API audience the gateway accepts");
        if (string.IsNullOrWhiteSpace(options.InternalAudience)) problems.Add("Gateway:InternalAudience is required (the internal services' API audience)");
        if (options.ExchangeMargin < TimeSpan.Zero) problems.Add("Gateway:ExchangeMargin must not be negative");
        if (options.IntrospectionCacheWindow < TimeSpan.Zero) problems.Add("Gateway:IntrospectionCacheWindow must not be negative");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
