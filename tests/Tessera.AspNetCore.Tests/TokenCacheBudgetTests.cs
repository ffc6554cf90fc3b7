using System.Buffers;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Tessera.AspNetCore.Caching;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.AspNetCore.Validation;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// HybridCache counts a memory entry by its serialized bytes, and TokenCacheSize promises at least that many tokens:
/// a real token's entry must fit the per-token budget with room to spare (the issuer's claims could grow).
/// </summary>
public sealed class TokenCacheBudgetTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>
{
    private static ArrayBufferWriter<byte> Serialized<T>(Microsoft.Extensions.Caching.Hybrid.IHybridCacheSerializer<T> serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return buffer;
    }

    [Fact]
    public async Task A_validated_jwt_takes_at_most_half_its_budget_and_reads_back_the_same_claims()
    {
        var token = new JsonWebToken(await issuer.TokenAsync("message message:write"));
        var identity = new ClaimsIdentity(token.Claims, "Tessera");
        var serializer = new JsonCacheSerializer<ValidatedJwt>(CacheJsonContext.Default.ValidatedJwt);
        var cached = ValidatedJwt.Of(identity);

        var buffer = Serialized(serializer, cached);
        var length = buffer.WrittenCount;
        var read = serializer.Deserialize(new ReadOnlySequence<byte>(buffer.WrittenMemory)).ToIdentity("Tessera");

        Assert.True(length <= TokenCaches.BytesPerToken / 2, $"{length} bytes");
        Assert.Equal(identity.Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer)), read.Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer)));
    }

    [Fact]
    public async Task An_introspection_answer_takes_at_most_half_its_budget()
    {
        var answer = await issuer.Protocol.IntrospectAsync(IssuerFixture.ApiClient, IssuerFixture.ApiSecret, await issuer.TokenAsync("ledger"));
        var parsed = IntrospectionAnswer.Parse(Encoding.UTF8.GetBytes(answer.Json.ToJsonString()))!;

        var length = Serialized(IntrospectionAnswerSerializer.Instance, parsed).WrittenCount;

        Assert.True(parsed.Active);
        Assert.True(length <= TokenCaches.BytesPerToken / 2, $"{length} bytes");
    }
}
