using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.Gateway.Tests;

/// <summary>A configuration mistake stops the gateway at start with every problem named, not at the first request.</summary>
public sealed class GatewayConfigurationTests
{
    [Fact]
    public void Every_problem_of_the_gateway_section_is_reported_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Create([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:Authority"] = "http://id.example",   // plain HTTP while metadata must be HTTPS
                ["Gateway:ClientSecret"] = "short",
            });
        }));
        Assert.Equal(
        [
            "Gateway:Authority must use https (set Gateway:RequireHttpsMetadata=false only for a loopback issuer)",
            "Gateway:ClientId is required (the gateway's client at Tessera)",
            "Gateway:ClientSecret is required (at least 16 characters)",
            "Gateway:Audiences must name at least one API audience the gateway accepts",
            "Gateway:InternalAudience is required (the internal services' API audience)",
        ], error.Failures);
    }
}
