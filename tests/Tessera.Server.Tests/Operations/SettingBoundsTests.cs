using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// The bounds of single settings are attributes on the option classes, checked by generated code. Each refusal must
/// still name the setting by the key an operator writes, and each bound must let in the values it let in before.
/// </summary>
public sealed class SettingBoundsTests
{
    private static JsonObject EmptyImport() => new() { ["apiResources"] = new JsonArray(), ["clients"] = new JsonArray() };

    public static TheoryData<string, string, string> OutOfBounds => new()
    {
        { "Tessera:Keys:RotationPeriod", "00:00:00", "Tessera:Keys:RotationPeriod must be positive." },
        { "Tessera:Keys:CheckInterval", "00:00:00", "Tessera:Keys:CheckInterval must be positive." },
        { "Tessera:Keys:RsaKeySize", "1024", "Tessera:Keys:RsaKeySize must be between 2048 and 8192." },
        { "Tessera:Cache:RefreshInterval", "00:00:00", "Tessera:Cache:RefreshInterval must be positive." },
        { "Tessera:Cache:RevocationPollInterval", "-00:00:01", "Tessera:Cache:RevocationPollInterval must be positive." },
        { "Tessera:Cache:OpaqueTokenCacheSize", "-1", "Tessera:Cache:OpaqueTokenCacheSize must be zero (no cache) or more." },
        { "Tessera:Housekeeping:Interval", "00:00:00", "Tessera:Housekeeping:Interval must be positive." },
        { "Tessera:Housekeeping:BatchSize", "100001", "Tessera:Housekeeping:BatchSize must be between 1 and 100000." },
        { "Tessera:Housekeeping:BatchPause", "00:00:10.001", "Tessera:Housekeeping:BatchPause must be between 0 and 10 seconds." },
        { "Tessera:Limits:MaxFormBytes", "1023", "Tessera:Limits:MaxFormBytes must be between 1024 and 1048576." },
        { "Tessera:RefreshTokens:Lifetime", "00:00:00", "Tessera:RefreshTokens:Lifetime must be positive and at most 366 days." },
        { "Tessera:RefreshTokens:Lifetime", "366.00:00:01", "Tessera:RefreshTokens:Lifetime must be positive and at most 366 days." },
        { "Tessera:RefreshTokens:ReuseGraceSeconds", "301", "Tessera:RefreshTokens:ReuseGraceSeconds must be between 0 (no grace, the default) and 300." },
        { "Tessera:DeviceFlow:CodeLifetime", "01:00:01", "Tessera:DeviceFlow:CodeLifetime must be between 1 second and 1 hour." },
        { "Tessera:DeviceFlow:Interval", "00:00:00.5", "Tessera:DeviceFlow:Interval must be between 1 second and 1 minute." },
        { "Tessera:PersonalAccessTokens:MaxLifetime", "3660.00:00:01", "Tessera:PersonalAccessTokens:MaxLifetime must be between 1 day and 3660 days." },
        { "Tessera:PersonalAccessTokens:LastUsedResolution", "1.00:00:01", "Tessera:PersonalAccessTokens:LastUsedResolution must be between 1 second and 1 day." },
        { "Tessera:PersonalAccessTokens:MaxPerUser", "0", "Tessera:PersonalAccessTokens:MaxPerUser must be between 1 and 10000." },
        { "Tessera:PersonalAccessTokens:MaxAuthAge", "30.00:00:01", "Tessera:PersonalAccessTokens:MaxAuthAge must be between 1 second and 30 days." },
        { "Tessera:Database:StartupTimeout", "01:00:01", "Tessera:Database:StartupTimeout must be between 00:00:00 and 1 hour." },
        { "Tessera:Database:MaxPoolSize", "0", "Tessera:Database:MaxPoolSize must be between 1 and 1000." },
        { "Tessera:Email:LinkLifetime", "7.00:00:01", "Tessera:Email:LinkLifetime must be between 1 second and 7 days." },
        { "Tessera:Email:Smtp:Port", "0", "Tessera:Email:Smtp:Port must be between 1 and 65535." },
        { "Tessera:PersonalAccessTokens:PageMaxAuthAge", "00:00:00", "Tessera:PersonalAccessTokens:PageMaxAuthAge must be between 1 second and 1 day." },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task A_setting_out_of_its_bounds_stops_the_start_naming_its_key(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TesseraServer.StartAsync(DatabaseKind.Sqlite, EmptyImport(), new Dictionary<string, string?> { [key] = value }));

        // The generator prefixes the member's name ("BatchSize: Tessera:Housekeeping:BatchSize must be …").
        Assert.Contains(error.Failures, failure => failure.EndsWith(": " + expected, StringComparison.Ordinal));
        // DataAnnotations' own wording names the C# type, not the key ("The field TesseraOptions.… must be between …").
        Assert.DoesNotContain("The field", error.Message);
    }

    [Fact]
    public async Task A_blank_connection_string_stops_the_start_naming_its_key()
    {
        // Postgres: for sqlite the storage registration reads the path out of the connection string before validation runs.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TesseraServer.StartAsync(DatabaseKind.Sqlite, EmptyImport(),
            new Dictionary<string, string?> { ["Tessera:Database:Provider"] = "postgres", ["Tessera:Database:ConnectionString"] = "   " }));

        Assert.Contains(error.Failures, failure => failure.EndsWith(": Tessera:Database:ConnectionString is required.", StringComparison.Ordinal));
    }

    private static readonly Dictionary<string, Dictionary<string, string?>> AtTheBounds = new()
    {
        ["lowest"] = new()
        {
            ["Tessera:Keys:PrepublishPeriod"] = "00:00:00",
            ["Tessera:Cache:OpaqueTokenCacheSize"] = "0",
            ["Tessera:Housekeeping:BatchSize"] = "1",
            ["Tessera:Housekeeping:BatchPause"] = "00:00:00",
            ["Tessera:Limits:MaxFormBytes"] = "1024",
            ["Tessera:RefreshTokens:Lifetime"] = "00:00:00.0000001",
            ["Tessera:RefreshTokens:ReuseGraceSeconds"] = "0",
            ["Tessera:DeviceFlow:CodeLifetime"] = "00:00:01",
            ["Tessera:DeviceFlow:Interval"] = "00:00:01",
            ["Tessera:PersonalAccessTokens:MaxLifetime"] = "1.00:00:00",
            ["Tessera:PersonalAccessTokens:LastUsedResolution"] = "00:00:01",
            ["Tessera:PersonalAccessTokens:MaxPerUser"] = "1",
            ["Tessera:PersonalAccessTokens:MaxAuthAge"] = "00:00:01",
            ["Tessera:PersonalAccessTokens:PageMaxAuthAge"] = "00:00:01",
        },
        // RsaKeySize stays at 2048, its lowest: an 8192-bit key takes long to generate at start.
        ["highest"] = new()
        {
            ["Tessera:Housekeeping:BatchSize"] = "100000",
            ["Tessera:Housekeeping:BatchPause"] = "00:00:10",
            ["Tessera:Limits:MaxFormBytes"] = "1048576",
            ["Tessera:RefreshTokens:Lifetime"] = "366.00:00:00",
            ["Tessera:RefreshTokens:ReuseGraceSeconds"] = "300",
            ["Tessera:DeviceFlow:CodeLifetime"] = "01:00:00",
            ["Tessera:DeviceFlow:Interval"] = "00:01:00",
            ["Tessera:PersonalAccessTokens:MaxLifetime"] = "3660.00:00:00",
            ["Tessera:PersonalAccessTokens:LastUsedResolution"] = "1.00:00:00",
            ["Tessera:PersonalAccessTokens:MaxPerUser"] = "10000",
            ["Tessera:PersonalAccessTokens:MaxAuthAge"] = "30.00:00:00",
            ["Tessera:PersonalAccessTokens:PageMaxAuthAge"] = "1.00:00:00",
        },
    };

    [Theory]
    [InlineData("lowest")]
    [InlineData("highest")]
    public async Task Settings_at_their_inclusive_bounds_start(string bounds)
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, EmptyImport(), AtTheBounds[bounds]);
        using var http = server.CreateClient();

        Assert.True((await http.GetAsync("/.well-known/openid-configuration")).IsSuccessStatusCode, bounds);
    }
}
