using Microsoft.Extensions.Options;

namespace Tessera.Server.Configuration;

/// <summary>Collects every configuration problem so an operator fixes them all in one go.</summary>
internal sealed class TesseraOptionsValidator(IHostEnvironment environment) : IValidateOptions<TesseraOptions>
{
    public ValidateOptionsResult Validate(string? name, TesseraOptions options)
    {
        var errors = new List<string>();
        ValidateIssuer(options.Issuer, errors);

        if (options.Database.Provider is not (DatabaseProviders.Sqlite or DatabaseProviders.Postgres))
            errors.Add($"Tessera:Database:Provider must be '{DatabaseProviders.Sqlite}' or '{DatabaseProviders.Postgres}', not '{options.Database.Provider}'.");
        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
            errors.Add("Tessera:Database:ConnectionString is required.");

        if (options.Keys.RotationPeriod <= TimeSpan.Zero)
            errors.Add("Tessera:Keys:RotationPeriod must be positive.");
        if (options.Keys.PrepublishPeriod < TimeSpan.Zero || options.Keys.PrepublishPeriod >= options.Keys.RotationPeriod)
            errors.Add("Tessera:Keys:PrepublishPeriod must be at least zero and shorter than RotationPeriod.");
        if (options.Keys.CheckInterval <= TimeSpan.Zero)
            errors.Add("Tessera:Keys:CheckInterval must be positive.");
        if (options.Keys.RsaKeySize is < 2048 or > 8192)
            errors.Add("Tessera:Keys:RsaKeySize must be between 2048 and 8192.");
        if (options.Cache.RefreshInterval <= TimeSpan.Zero)
            errors.Add("Tessera:Cache:RefreshInterval must be positive.");
        if (options.Cache.RevocationPollInterval <= TimeSpan.Zero)
            errors.Add("Tessera:Cache:RevocationPollInterval must be positive.");
        if (options.Cache.OpaqueTokenCacheSize < 0)
            errors.Add("Tessera:Cache:OpaqueTokenCacheSize must be zero (no cache) or more.");
        if (options.Housekeeping.Interval <= TimeSpan.Zero)
            errors.Add("Tessera:Housekeeping:Interval must be positive.");
        if (options.Housekeeping.BatchSize is < 1 or > 100_000)
            errors.Add("Tessera:Housekeeping:BatchSize must be between 1 and 100000.");
        if (options.Limits.MaxFormBytes is < 1024 or > 1024 * 1024)
            errors.Add("Tessera:Limits:MaxFormBytes must be between 1024 and 1048576.");
        if (options.RefreshTokens.Lifetime <= TimeSpan.Zero || options.RefreshTokens.Lifetime > TimeSpan.FromDays(366))
            errors.Add("Tessera:RefreshTokens:Lifetime must be positive and at most 366 days.");
        if (options.RefreshTokens.ReuseGraceSeconds is < 0 or > 300)
            errors.Add("Tessera:RefreshTokens:ReuseGraceSeconds must be between 0 (no grace, the default) and 300.");
        if (options.DeviceFlow.CodeLifetime < TimeSpan.FromSeconds(1) || options.DeviceFlow.CodeLifetime > TimeSpan.FromHours(1))
            errors.Add("Tessera:DeviceFlow:CodeLifetime must be between 1 second and 1 hour.");
        if (options.DeviceFlow.Interval < TimeSpan.FromSeconds(1) || options.DeviceFlow.Interval > TimeSpan.FromMinutes(1))
            errors.Add("Tessera:DeviceFlow:Interval must be between 1 second and 1 minute.");

        if (options.PersonalAccessTokens.MaxLifetime < TimeSpan.FromDays(1) || options.PersonalAccessTokens.MaxLifetime > TimeSpan.FromDays(3660))
            errors.Add("Tessera:PersonalAccessTokens:MaxLifetime must be between 1 day and 3660 days.");
        if (options.PersonalAccessTokens.LastUsedResolution < TimeSpan.FromSeconds(1) || options.PersonalAccessTokens.LastUsedResolution > TimeSpan.FromDays(1))
            errors.Add("Tessera:PersonalAccessTokens:LastUsedResolution must be between 1 second and 1 day.");
        if (options.PersonalAccessTokens.MaxPerUser is < 1 or > 10_000)
            errors.Add("Tessera:PersonalAccessTokens:MaxPerUser must be between 1 and 10000.");
        if (options.PersonalAccessTokens.MaxAuthAge < TimeSpan.FromSeconds(1) || options.PersonalAccessTokens.MaxAuthAge > TimeSpan.FromDays(30))
            errors.Add("Tessera:PersonalAccessTokens:MaxAuthAge must be between 1 second and 30 days.");
        if (options.PersonalAccessTokens.PageMaxAuthAge < TimeSpan.FromSeconds(1) || options.PersonalAccessTokens.PageMaxAuthAge > TimeSpan.FromDays(1))
            errors.Add("Tessera:PersonalAccessTokens:PageMaxAuthAge must be between 1 second and 1 day.");

        foreach (var (limitName, limit) in options.RateLimits.All())
        {
            if (limit.PermitLimit is < 0 or > 1_000_000)
                errors.Add($"Tessera:RateLimits:{limitName}:PermitLimit must be between 0 (no limit) and 1000000.");
            if (limit.IsOn && (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1)))
                errors.Add($"Tessera:RateLimits:{limitName}:Window must be between 1 second and 1 day.");
        }

        KeyRingProtection.Validate(options.DataProtection, environment, errors);
        TransportSecurity.Validate(options.ForwardedHeaders, errors);

        ExternalProvidersValidator.Validate(options.ExternalProviders, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateIssuer(string issuer, List<string> errors)
    {
        // RFC 8414 §2: the issuer is an https URL with no query or fragment.
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri))
        {
            errors.Add($"Tessera:Issuer '{issuer}' is not an absolute URL.");
            return;
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            errors.Add("Tessera:Issuer must not have a query or a fragment (RFC 8414 §2).");
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            errors.Add($"Tessera:Issuer '{issuer}' uses plain HTTP on a non-loopback host: tokens would travel in clear. Use https://, or http://127.0.0.1 / http://localhost for local development.");
        else if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            errors.Add($"Tessera:Issuer must be an https URL, not '{uri.Scheme}'.");
    }
}
