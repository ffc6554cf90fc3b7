using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace Tessera.AspNetCore.Validation;

/// <summary>
/// Opaque access tokens and personal access tokens, checked by RFC 7662 introspection with this API's own client
/// credentials. Answers are cached by the token's SHA-256 for at most <see cref="TesseraOptions.IntrospectionCacheWindow"/>
/// and never beyond the token's exp, in memory and optionally in a distributed cache.
/// </summary>
internal sealed class IntrospectionClient(TesseraOptions options, IDistributedCache? distributedCache, TimeProvider clock)
{
    // v2: entries carry the end of their window; entries of the earlier format (answer only) are never read.
    private const string DistributedPrefix = "tessera:introspection:v2:";

    public async Task<TokenCheck> ValidateAsync(string token, string key, string authenticationType, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.ClientId))
            return TokenCheck.Invalid("the token is not a JWT and this API does not introspect tokens");

        if (!options.TokenCache.TryGetValue(key, out IntrospectionAnswer? answer) || answer is null)
        {
            answer = await options.Introspections.RunAsync(key, shared => LookUpAsync(token, key, shared), cancellationToken);
            if (answer is null) return TokenCheck.Invalid("the token could not be checked");
        }
        var configuration = await options.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        return Check(answer, configuration.Issuer, authenticationType);
    }

    private async Task<IntrospectionAnswer?> LookUpAsync(string token, string key, CancellationToken cancellationToken)
    {
        if (await FromDistributedCacheAsync(key, cancellationToken) is { } shared)
        {
            // Kept here only as long as the shared entry lives, and never written back: a write-back would start the
            // window again each time a node read it, so a revoked token would never be asked about again.
            RememberInMemory(key, shared.Answer, shared.Until);
            return shared.Answer;
        }
        var answer = await IntrospectAsync(token, cancellationToken);
        if (answer is not null) await RememberAsync(key, answer, cancellationToken);
        return answer;
    }

    private TokenCheck Check(IntrospectionAnswer answer, string issuer, string authenticationType)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // RFC 7662 §2.2: only "active": true means the token may be used; its exp still bounds a cached answer.
        if (!answer.Active || answer.ExpiresAt is not { } exp || exp <= now) return TokenCheck.Invalid("the token is not active");
        // RFC 7662 §4: the resource server checks the token was meant for it.
        if (answer.Issuer != issuer) return TokenCheck.Invalid("the token has another issuer");
        if (!answer.Audiences.Any(options.AllAudiences.Contains)) return TokenCheck.Invalid("the token is not meant for this audience");
        return TokenCheck.Valid(answer.ToIdentity(authenticationType));
    }

    private async Task<IntrospectionAnswer?> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        var configuration = await options.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        if (string.IsNullOrEmpty(configuration.IntrospectionEndpoint)) return null;
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.IntrospectionEndpoint)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        // RFC 6749 §2.3.1: client_secret_basic, id and secret form-urlencoded before base64.
        var credentials = $"{Uri.EscapeDataString(options.ClientId!)}:{Uri.EscapeDataString(options.ClientSecret!)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await options.Backchannel.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode) return null;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return IntrospectionAnswer.Parse(body);
    }

    /// <summary>A shared entry is the end of its window (8 bytes, Unix milliseconds, big-endian), then the answer as received.</summary>
    private async Task<(IntrospectionAnswer Answer, DateTimeOffset Until)?> FromDistributedCacheAsync(string key, CancellationToken cancellationToken)
    {
        if (!options.UseDistributedCache || distributedCache is null) return null;
        var bytes = await distributedCache.GetAsync(DistributedPrefix + key, cancellationToken);
        if (bytes is null || bytes.Length <= sizeof(long)) return null;
        var until = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
        return until > clock.GetUtcNow() && IntrospectionAnswer.Parse(bytes[sizeof(long)..]) is { } answer ? (answer, until) : null;
    }

    private async Task RememberAsync(string key, IntrospectionAnswer answer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + options.IntrospectionCacheWindow;
        if (answer.Active && answer.ExpiresAt is { } exp && DateTimeOffset.FromUnixTimeSeconds(exp) < until) until = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (until <= now) return;
        RememberInMemory(key, answer, until);
        if (options.UseDistributedCache && distributedCache is not null)
        {
            var entry = new byte[sizeof(long) + answer.Raw.Length];
            BinaryPrimitives.WriteInt64BigEndian(entry, until.ToUnixTimeMilliseconds());
            answer.Raw.CopyTo(entry, sizeof(long));
            await distributedCache.SetAsync(DistributedPrefix + key, entry, new DistributedCacheEntryOptions { AbsoluteExpiration = until }, cancellationToken);
        }
    }

    private void RememberInMemory(string key, IntrospectionAnswer answer, DateTimeOffset until) =>
        options.TokenCache.Set(key, answer, new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
}

/// <summary>An RFC 7662 §2.2 response, as received (kept raw for the distributed cache).</summary>
internal sealed record IntrospectionAnswer(byte[] Raw, bool Active, long? ExpiresAt, string? Issuer, IReadOnlyList<string> Audiences, JsonElement Root)
{
    private static readonly string[] ClaimNames = ["sub", "client_id", "scope", "jti", "iat", "exp", "iss", "username", "act"];

    public static IntrospectionAnswer? Parse(byte[] body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object) return null;
            var active = root.TryGetProperty("active", out var a) && a.ValueKind == JsonValueKind.True;
            long? exp = root.TryGetProperty("exp", out var e) && e.TryGetInt64(out var x) ? x : null;
            var iss = root.TryGetProperty("iss", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var audiences = !root.TryGetProperty("aud", out var aud) ? [] :
                aud.ValueKind == JsonValueKind.String ? [aud.GetString()!] :
                aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList() : new List<string>();
            return new IntrospectionAnswer(body, active, exp, iss, audiences, root);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Claim[]? _claims;

    /// <summary>The claims are read from the JSON once per cached answer, then copied into each request's identity.</summary>
    public ClaimsIdentity ToIdentity(string authenticationType) =>
        new(_claims ??= ReadClaims(), authenticationType, TesseraDefaults.SubjectClaim, "role");

    private Claim[] ReadClaims()
    {
        var claims = new List<Claim>();
        foreach (var name in ClaimNames)
        {
            if (!Root.TryGetProperty(name, out var value)) continue;
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            claims.Add(new Claim(name, text, value.ValueKind == JsonValueKind.Number ? ClaimValueTypes.Integer64 : ClaimValueTypes.String));
        }
        foreach (var audience in Audiences) claims.Add(new Claim("aud", audience));
        return [.. claims];
    }
}
