using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Protocol.Dpop;

namespace Tessera.Benchmarks;

/// <summary>
/// What checking one DPoP proof costs (RFC 9449 §4.3, DpopProofValidator) beside the ES256 signature it contains: the
/// proof check is on the hot path of every DPoP token request and every request to a DPoP-bound API (issue 19).
/// Proofs are made in setup, one per invocation (a real server sees a new jti every time; the validator keeps no state).
/// </summary>
[MemoryDiagnoser]
public class DpopProofBenchmarks
{
    private const string Url = "http://127.0.0.1:5080/connect/token";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private ECDsaSecurityKey _key = null!;
    private string[] _proofs = null!;
    private byte[] _input = null!;
    private byte[] _signature = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_key.ECDsa.ExportParameters(false))));
        var header = new Dictionary<string, object> { ["jwk"] = new Dictionary<string, object> { ["kty"] = "EC", ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y } };
        _proofs = new string[200_000];
        for (var i = 0; i < _proofs.Length; i++)
        {
            _proofs[i] = _handler.CreateToken(new SecurityTokenDescriptor
            {
                TokenType = "dpop+jwt",
                AdditionalHeaderClaims = header,
                Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("n"), ["htm"] = "POST", ["htu"] = Url, ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() },
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
            });
        }
        _input = RandomNumberGenerator.GetBytes(300);
        _signature = _key.ECDsa.SignData(_input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The floor: one P-256 signature verification, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public bool Es256Verify() => _key.ECDsa.VerifyData(_input, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public async Task<string?> ValidateProof()
    {
        var proof = _proofs[_next++ % _proofs.Length];
        var check = await DpopProofValidator.ValidateAsync(proof, new DpopProofRequirements("POST", Url, null, DpopAlgorithms.Supported,
            TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), DateTimeOffset.UtcNow));
        return check.Proof?.KeyThumbprint;
    }
}
