using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>Attacks on JWT access tokens: each forgery must be inactive at introspection.</summary>
public abstract class ForgedJwtTests(TesseraServer server) : ServerTest(server)
{
    private async Task<string> RealTokenAsync() => (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

    private async Task<bool> ActiveAsync(string token) => (await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active;

    [Fact]
    public async Task The_genuine_token_is_active_so_the_attacks_below_mean_something()
    {
        Assert.True(await ActiveAsync(await RealTokenAsync()));
    }

    [Fact]
    public async Task A_flipped_signature_byte_is_inactive()
    {
        var parts = (await RealTokenAsync()).Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0x01;

        Assert.False(await ActiveAsync($"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}"));
    }

    [Fact]
    public async Task A_changed_claim_under_the_original_signature_is_inactive()
    {
        var token = await RealTokenAsync();
        var payload = Jwt.Payload(token);
        payload["scope"] = "message message:write";

        Assert.False(await ActiveAsync(Jwt.Rebuild(Jwt.Header(token), payload, token.Split('.')[2])));
    }

    [Fact]
    public async Task Alg_none_is_inactive()
    {
        var token = await RealTokenAsync();
        var header = Jwt.Header(token);
        header["alg"] = "none";

        Assert.False(await ActiveAsync(Jwt.Rebuild(header, Jwt.Payload(token), "")));
    }

    [Fact]
    public async Task A_token_signed_by_a_foreign_key_with_a_published_kid_is_inactive()
    {
        var token = await RealTokenAsync();
        using var rsa = RSA.Create(2048);
        var foreign = new RsaSecurityKey(rsa) { KeyId = (string?)Jwt.Header(token)["kid"] };

        var forged = new JsonWebTokenHandler().CreateToken(Jwt.Payload(token).ToJsonString(),
            new SigningCredentials(foreign, SecurityAlgorithms.RsaSha256), new Dictionary<string, object> { ["typ"] = "at+jwt" });

        Assert.False(await ActiveAsync(forged));
    }

    [Fact]
    public async Task The_public_key_used_as_an_hmac_secret_is_inactive()
    {
        // Algorithm confusion: sign with HS256 using the published RSA key's bytes as the secret.
        var token = await RealTokenAsync();
        var jwk = (await Jwt.FetchJwksAsync(Http)).Keys.First(k => k.Kid == (string?)Jwt.Header(token)["kid"]);
        var secret = new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(jwk.N)) { KeyId = jwk.Kid };

        var forged = new JsonWebTokenHandler().CreateToken(Jwt.Payload(token).ToJsonString(),
            new SigningCredentials(secret, SecurityAlgorithms.HmacSha256), new Dictionary<string, object> { ["typ"] = "at+jwt" });

        Assert.False(await ActiveAsync(forged));
    }

    [Fact]
    public async Task A_genuine_token_with_another_typ_is_not_an_access_token()
    {
        // RFC 9068 §4: only typ at+jwt is an access token. A rebuilt header breaks the signature too, so this also
        // guards against accepting a differently typed token signed by the same key.
        var token = await RealTokenAsync();
        var header = Jwt.Header(token);
        header["typ"] = "JWT";

        Assert.False(await ActiveAsync(Jwt.Rebuild(header, Jwt.Payload(token), token.Split('.')[2])));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ForgedJwtTests_Sqlite(SqliteServerFixture f) : ForgedJwtTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class ForgedJwtTests_Postgres(PostgresServerFixture f) : ForgedJwtTests(f.Server);
