namespace Tessera.Server.Configuration;

/// <summary>
/// Each <c>Tessera:RateLimits:&lt;name&gt;</c>: a permit count, and a window only when the limit is on (0 permits turns it
/// off, and its window is then never read). Code, not attributes: eight settings share <see cref="WindowLimit"/>, and the
/// message must say which one is wrong by its key.
/// </summary>
internal static class RateLimitRule
{
    public static void Validate(RateLimitOptions rateLimits, List<string> errors)
    {
        foreach (var (limitName, limit) in rateLimits.All())
        {
            if (limit.PermitLimit is < 0 or > 1_000_000)
                errors.Add($"Tessera:RateLimits:{limitName}:PermitLimit must be between 0 (no limit) and 1000000.");
            if (limit.IsOn && (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1)))
                errors.Add($"Tessera:RateLimits:{limitName}:Window must be between 1 second and 1 day.");
        }
    }
}
