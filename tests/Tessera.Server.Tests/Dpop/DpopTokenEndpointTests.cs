using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Dpop;

/// <summary>
/// RFC 9449 §4.3 and §5 at the token endpoint: a valid proof binds the token, every kind of bad proof is invalid_dpop_proof.
/// The requests that succeed are made with Duende.IdentityModel (an independent client library); the proofs are written
/// with Microsoft.IdentityModel's handler (<see cref="DpopKey"/>), never with the server's code.
/// </summary>
public abstract class DpopTokenEndpointTests(TesseraServer server) : ServerTest(server)
{
    private string TokenUrl => Server.Issuer + "/connect/token";

    [Fact]
    public async Task A_valid_proof_binds_a_jwt_access_token_to_the_key()
    {
        using var key = DpopKey.NewEs256();

        var response = await Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenUrl, ClientId = Service, ClientSecret = ServiceSecret, Scope = "message",
            DPoPProofToken = key.Proof("POST", TokenUrl),
        });

        Assert.False(response.IsError, response.Error);
        // RFC 9449 §5: token_type DPoP; §6.1: cnf.jkt is the key's thumbprint.
        Assert.Equal("DPoP", response.TokenType);
        var cnf = Jwt.Payload(response.AccessToken!)["cnf"]!.AsObject();
        Assert.Equal(key.Thumbprint, (string?)cnf["jkt"]);
    }

    [Fact]
    public async Task A_bound_opaque_token_is_introspected_with_its_key_and_type()
    {
        using var key = DpopKey.NewPs256();
        var token = await BoundTokenAsync(key, "ledger");

        var introspected = await Protocol.IntrospectAsync(Other, OtherSecret, token);

        Assert.True(introspected.Active);
        Assert.Equal(key.Thumbprint, (string?)introspected.Json["cnf"]!["jkt"]);
        Assert.Equal("DPoP", (string?)introspected.Json["token_type"]);
    }

    [Fact]
    public async Task A_bound_jwt_is_introspected_with_its_key()
    {
        using var key = DpopKey.NewEs256();
        var token = await BoundTokenAsync(key, "message");

        var introspected = await Protocol.IntrospectAsync(Other, OtherSecret, token);

        Assert.Equal(key.Thumbprint, (string?)introspected.Json["cnf"]!["jkt"]);
        Assert.Equal("DPoP", (string?)introspected.Json["token_type"]);
    }

    [Fact]
    public async Task Without_a_proof_the_token_stays_a_bearer_token()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger");

        Assert.Equal("Bearer", (string?)response.Json["token_type"]);
        Assert.Null((await Protocol.IntrospectAsync(Other, OtherSecret, response.AccessToken)).Json["cnf"]);
    }

    [Fact]
    public async Task A_replayed_proof_is_refused()
    {
        using var key = DpopKey.NewEs256();
        var proof = key.Proof("POST", TokenUrl);
        Assert.Equal(200, (await TokenWithProofAsync(proof)).Status);

        AssertInvalidProof(await TokenWithProofAsync(proof), "the DPoP proof was already used");
    }

    [Fact]
    public async Task A_proof_for_another_method_is_refused()
    {
        using var key = DpopKey.NewEs256();

        AssertInvalidProof(await TokenWithProofAsync(key.Proof("GET", TokenUrl)), "the DPoP proof's htm does not match the request's method");
    }

    [Fact]
    public async Task A_proof_for_another_url_is_refused()
    {
        using var key = DpopKey.NewEs256();

        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", Server.Issuer + "/connect/userinfo")),
            "the DPoP proof's htu does not match the request's URI");
        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", "https://elsewhere.example/connect/token")),
            "the DPoP proof's htu does not match the request's URI");
    }

    [Fact]
    public async Task The_query_of_htu_is_ignored_and_the_scheme_compared_without_case()
    {
        using var key = DpopKey.NewEs256();
        // RFC 9449 §4.3 check 9: without query and fragment, after RFC 3986 §6.2.2 normalization.
        var normalizedAway = TokenUrl.Replace("http://", "HTTP://", StringComparison.Ordinal) + "?x=1#f";

        Assert.Equal(200, (await TokenWithProofAsync(key.Proof("POST", normalizedAway))).Status);
    }

    [Fact]
    public async Task An_old_proof_is_refused_and_so_is_one_from_the_future()
    {
        using var key = DpopKey.NewEs256();

        // The window is a minute plus the 30 s clock skew.
        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", TokenUrl, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-3))),
            "the DPoP proof's iat is outside the acceptable window");
        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", TokenUrl, issuedAt: DateTimeOffset.UtcNow.AddMinutes(3))),
            "the DPoP proof's iat is outside the acceptable window");
    }

    [Fact]
    public async Task A_proof_with_another_typ_is_refused()
    {
        using var key = DpopKey.NewEs256();

        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", TokenUrl, type: "JWT")), "the DPoP proof's typ must be dpop+jwt");
    }

    [Fact]
    public async Task A_proof_signed_with_a_shared_secret_is_refused()
    {
        using var key = DpopKey.NewEs256();
        var secret = new SymmetricSecurityKey(new byte[32]);

        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", TokenUrl, credentials: new SigningCredentials(secret, SecurityAlgorithms.HmacSha256))),
            "the DPoP proof's alg must be one of ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512");
    }

    [Fact]
    public async Task A_proof_whose_jwk_header_holds_the_private_key_is_refused()
    {
        using var key = DpopKey.NewEs256();

        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", TokenUrl, includePrivateKey: true)),
            "the DPoP proof's jwk header must be a public EC or RSA key");
    }

    [Fact]
    public async Task A_proof_signed_by_another_key_than_its_jwk_is_refused()
    {
        using var key = DpopKey.NewEs256();
        using var attacker = DpopKey.NewEs256();

        // The attacker names the victim's key but cannot sign with it.
        AssertInvalidProof(await TokenWithProofAsync(attacker.Proof("POST", TokenUrl, headerJwk: key.PublicJwk)),
            "the DPoP proof's signature does not verify with its jwk");
    }

    [Fact]
    public async Task A_proof_without_jti_is_refused()
    {
        using var key = DpopKey.NewEs256();

        AssertInvalidProof(await TokenWithProofAsync(key.Proof("POST", TokenUrl, jti: null)), "the DPoP proof must carry a jti of at most 256 characters");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("e30.e30.c2ln")]
    public async Task A_malformed_proof_is_refused_not_a_server_error(string proof)
    {
        var response = await TokenWithProofAsync(proof);

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_dpop_proof", response.Error);
    }

    [Fact]
    public async Task Two_dpop_headers_are_refused()
    {
        using var key = DpopKey.NewEs256();
        using var request = TokenRequest(Service, ServiceSecret, "message");
        request.Headers.Add("DPoP", [key.Proof("POST", TokenUrl), key.Proof("POST", TokenUrl)]);

        AssertInvalidProof(await Protocol.SendAsync(request), "a request carries at most one DPoP proof");
    }

    [Fact]
    public async Task A_client_that_requires_dpop_is_refused_without_a_proof()
    {
        var response = await Protocol.ClientCredentialsAsync(PeopleImport.DpopOnly, PeopleImport.DpopOnlySecret, "message");

        AssertInvalidProof(response, "this client must send a DPoP proof with every token request");
    }

    [Fact]
    public async Task A_client_that_requires_dpop_gets_bound_tokens_with_a_proof()
    {
        using var key = DpopKey.NewEs256();

        var response = await Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenUrl, ClientId = PeopleImport.DpopOnly, ClientSecret = PeopleImport.DpopOnlySecret, Scope = "message",
            DPoPProofToken = key.Proof("POST", TokenUrl),
        });

        Assert.Equal("DPoP", response.TokenType);
    }

    [Fact]
    public async Task Discovery_lists_the_proof_algorithms()
    {
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);

        Assert.Contains("ES256", discovery.DPoPSigningAlgorithmsSupported);
        Assert.Contains("PS256", discovery.DPoPSigningAlgorithmsSupported);
        Assert.Contains("RS256", discovery.DPoPSigningAlgorithmsSupported);
        Assert.DoesNotContain("HS256", discovery.DPoPSigningAlgorithmsSupported);
    }

    private async Task<string> BoundTokenAsync(DpopKey key, string scope)
    {
        var response = await Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenUrl, ClientId = Service, ClientSecret = ServiceSecret, Scope = scope, DPoPProofToken = key.Proof("POST", TokenUrl),
        });
        Assert.False(response.IsError, response.Error);
        return response.AccessToken!;
    }

    private async Task<ProtocolResponse> TokenWithProofAsync(string proof)
    {
        using var request = TokenRequest(Service, ServiceSecret, "message");
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await Protocol.SendAsync(request);
    }

    private static HttpRequestMessage TokenRequest(string clientId, string secret, string scope) =>
        new(HttpMethod.Post, "/connect/token")
        {
            Headers = { Authorization = ProtocolClient.Basic(clientId, secret) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", scope)]),
        };

    private static void AssertInvalidProof(ProtocolResponse response, string description)
    {
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_dpop_proof", response.Error);
        Assert.Equal(description, response.ErrorDescription);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class DpopTokenEndpointTests_Sqlite(SqlitePeopleFixture f) : DpopTokenEndpointTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class DpopTokenEndpointTests_Postgres(PostgresPeopleFixture f) : DpopTokenEndpointTests(f.Server);
