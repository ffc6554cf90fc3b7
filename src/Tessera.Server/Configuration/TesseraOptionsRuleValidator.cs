using Microsoft.Extensions.Options;

namespace Tessera.Server.Configuration;

/// <summary>
/// The configuration rules an attribute cannot say: a URL's parts, one setting against another, a bound that applies only
/// when a limit is on, files and directories that must exist, and the per-name sections. Runs beside
/// <see cref="TesseraOptionsAttributeValidator"/>; the options factory joins both validators' failures into the one
/// start failure, so an operator fixes every problem in one go.
/// </summary>
internal sealed class TesseraOptionsRuleValidator(IHostEnvironment environment) : IValidateOptions<TesseraOptions>
{
    public ValidateOptionsResult Validate(string? name, TesseraOptions options)
    {
        var errors = new List<string>();
        IssuerRule.Validate(options.Issuer, errors);
        DatabaseProviderRule.Validate(options.Database, errors);
        PrepublishPeriodRule.Validate(options.Keys, errors);
        RateLimitRule.Validate(options.RateLimits, errors);
        KeyRingProtection.Validate(options.DataProtection, environment, errors);
        TransportSecurity.Validate(options.ForwardedHeaders, errors);
        ExternalProvidersValidator.Validate(options.ExternalProviders, errors);
        EmailRule.Validate(options.Email, errors);
        TelemetryRule.Validate(options.Telemetry, errors);
        BrandingRule.Validate(options.Branding, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
