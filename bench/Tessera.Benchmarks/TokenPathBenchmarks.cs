using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Keys;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Benchmarks;

/// <summary>
/// The CPU work of one client-credentials request, piece by piece: client-secret check, target selection,
/// JWT writing (RS256/ES256), and an independent validation of the result (what an API does per request).
/// </summary>
[MemoryDiagnoser]
public class TokenPathBenchmarks
{
    private readonly JwtAccessTokenWriter _writer = new();
    private readonly JsonWebTokenHandler _validator = new();
    private byte[] _hmacKey = [];
    private byte[] _storedHash = [];
    private SigningCredentials _rs256 = null!;
    private SigningCredentials _es256 = null!;
    private AccessTokenClaims _claims = null!;
    private string _rs256Token = "";
    private TokenValidationParameters _parameters = null!;
    private ClientCatalog _catalog = null!;
    private RegisteredClient _client = null!;

    private const string Secret = "bench-secret-0123456789abcdef";

    [GlobalSetup]
    public void Setup()
    {
        _hmacKey = RandomNumberGenerator.GetBytes(32);
        _storedHash = HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(Secret));
        var rsa = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa" };
        var ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec" };
        _rs256 = new SigningCredentials(rsa, SigningAlgorithms.RS256);
        _es256 = new SigningCredentials(ec, SigningAlgorithms.ES256);

        var api = new RegisteredApi("api", "https://api.example", new[] { "api" }.ToFrozenSet(), AccessTokenFormats.Jwt,
            SigningAlgorithms.RS256, TimeSpan.FromHours(1), null);
        _client = new RegisteredClient("bench", _storedHash, [], new[] { "client_credentials" }.ToFrozenSet(), new[] { "api" }.ToFrozenSet());
        _catalog = new ClientCatalog(1, new Dictionary<string, RegisteredClient> { ["bench"] = _client }.ToFrozenDictionary(), [api]);
        _claims = new AccessTokenClaims("bench", "bench", new TokenTarget([api], ["api"]), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "jti-0123456789");
        _rs256Token = _writer.Write(_claims, "http://127.0.0.1:5080", _rs256);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = "http://127.0.0.1:5080", ValidAudience = "https://api.example", IssuerSigningKey = rsa, ValidTypes = ["at+jwt"],
        };
    }

    [Benchmark(Description = "client secret: HMAC-SHA-256 + fixed-time compare")]
    public bool VerifyClientSecret()
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(Secret), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _storedHash);
    }

    [Benchmark(Description = "select API and scopes (RFC 8707 / §3.3)")]
    public object SelectTarget() => TokenTargets.Select("api", [], _client, _catalog);

    [Benchmark(Description = "write JWT access token, RS256")]
    public string WriteRs256() => _writer.Write(_claims, "http://127.0.0.1:5080", _rs256);

    [Benchmark(Description = "write JWT access token, ES256")]
    public string WriteEs256() => _writer.Write(_claims, "http://127.0.0.1:5080", _es256);

    [Benchmark(Description = "validate RS256 access token (what an API does)")]
    public async Task<bool> ValidateRs256() => (await _validator.ValidateTokenAsync(_rs256Token, _parameters)).IsValid;

    [Benchmark(Description = "new opaque handle + SHA-256")]
    public byte[] NewOpaqueHandle() => OpaqueHandles.Hash(OpaqueHandles.NewAccessToken());
}
