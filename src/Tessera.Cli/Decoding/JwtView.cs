using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Cli.Decoding;

/// <summary>A JWT's header and payload as JSON, and its times as local times with "expires in …".</summary>
public static class JwtView
{
    public static (JsonObject Header, JsonObject Payload) Parts(string jwt)
    {
        var parts = jwt.Split('.');
        return (Part(parts[0]), Part(parts[1]));
    }

    public static JsonObject Times(JsonObject payload, DateTimeOffset now)
    {
        var times = new JsonObject();
        foreach (var (claim, future, past) in new[] { ("iat", "issued", "issued"), ("nbf", "valid", "valid since"), ("exp", "expires", "expired") })
        {
            if (payload[claim] is not JsonValue value || !value.TryGetValue<long>(out var unix)) continue;
            times[claim] = new JsonObject
            {
                ["unix"] = unix,
                ["local"] = DateTimeOffset.FromUnixTimeSeconds(unix).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture),
                ["relative"] = RelativeTime.Describe(unix, now, future, past),
            };
        }
        return times;
    }

    private static JsonObject Part(string encoded)
    {
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(encoded))) as JsonObject
                ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new Infrastructure.CliException("This is not a JWT: a part is not base64url-encoded JSON.", Infrastructure.ExitCodes.TokenRejected);
        }
    }
}
