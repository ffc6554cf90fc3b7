using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Protocol;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Keys;
using Tessera.Server.Tokens.AccessTokens;

namespace Tessera.Benchmarks;

/// <summary>
/// Why JwtAccessTokenWriter uses JsonWebTokenHandler's SecurityTokenDescriptor: the same access token with the payload
/// JSON written by hand (Utf8JsonWriter, what the writer did until issue 15, kept here only to compare) and handed to the
/// handler as a string. HS256 shows the payload's own cost (its signature is cheap); ES256 is a real row.
/// </summary>
[MemoryDiagnoser]
public class JwtPayloadBenchmarks
{
    private const string Issuer = "http://127.0.0.1:5080";
    private static readonly string[] ApiScopes = ["api"];
    private static readonly Dictionary<string, object> Header = new() { [JwtHeaderParameterNames.Typ] = JwtTypes.AccessToken };
    private readonly JwtAccessTokenWriter _writer = new();
    private readonly JsonWebTokenHandler _handler = new();
    private SigningCredentials _hs256 = null!;
    private SigningCredentials _es256 = null!;
    private AccessTokenClaims _claims = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hs256 = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SigningAlgorithms.HS256);
        _es256 = new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec" }, SigningAlgorithms.ES256);
        var api = new RegisteredApi("api", "https://api.example", ApiScopes.ToFrozenSet(), AccessTokenFormats.Jwt,
            SigningAlgorithms.ES256, TimeSpan.FromHours(1), null);
        _claims = new AccessTokenClaims("bench", "bench", new TokenTarget([api], ["api"]), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "jti-0123456789");
    }

    [Benchmark(Description = "HS256, JwtAccessTokenWriter (SecurityTokenDescriptor)")]
    public string DescriptorHs256() => _writer.Write(_claims, Issuer, _hs256);

    [Benchmark(Description = "HS256, payload written by hand")]
    public string HandWrittenHs256() => _handler.CreateToken(HandWrittenPayload(), _hs256, Header);

    [Benchmark(Description = "ES256, JwtAccessTokenWriter (SecurityTokenDescriptor)")]
    public string DescriptorEs256() => _writer.Write(_claims, Issuer, _es256);

    [Benchmark(Description = "ES256, payload written by hand")]
    public string HandWrittenEs256() => _handler.CreateToken(HandWrittenPayload(), _es256, Header);

    /// <summary>The same claims as the writer's token (RFC 9068 §2.2), one audience.</summary>
    private string HandWrittenPayload()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jti", _claims.Jti);
            json.WriteString("sub", _claims.Subject);
            json.WriteNumber("iat", _claims.IssuedAt);
            json.WriteNumber("exp", _claims.ExpiresAt);
            json.WriteString("scope", _claims.Scope);
            json.WriteString("iss", Issuer);
            json.WriteString("aud", _claims.Target.Apis[0].Audience);
            json.WriteString("client_id", _claims.ClientId);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
