using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.DeviceFlow;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Dpop;

/// <summary>
/// RFC 9449 §5 at the grants beyond client_credentials and the code: a device polling with a proof (RFC 8628) and a
/// token exchange with a proof (RFC 8693) get a token bound to the proof's key (cnf.jkt, §6.1); a bad proof is
/// invalid_dpop_proof, and is refused before the grant is looked at (the device code is still there for the good proof).
/// </summary>
public abstract class DpopGrantTests(TesseraServer server) : ServerTest(server)
{
    private const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    private string TokenUrl => Server.Issuer + "/connect/token";

    [Fact]
    public async Task A_device_polling_with_a_proof_gets_a_token_bound_to_its_key_and_a_bad_proof_is_refused()
    {
        using var key = DpopKey.NewEs256();
        var device = await AuthorizeAsync(Protocol, "openid message");
        await UserDecidesAsync(Server, UserCode(device), "allow");
        var poll = new[] { ("grant_type", GrantType), ("client_id", PeopleImport.Cli), ("device_code", DeviceCode(device)) };

        // A proof made for another endpoint: stolen from elsewhere, it must not bind (or fetch) this device's tokens.
        var refused = await TokenWithProofAsync(null, key.Proof("POST", Server.Issuer + "/connect/userinfo"), poll);
        var tokens = await TokenWithProofAsync(null, key.Proof("POST", TokenUrl), poll);

        AssertInvalidProof(refused, "the DPoP proof's htu does not match the request's URI");
        Assert.Equal(200, tokens.Status);
        Assert.Equal("DPoP", (string?)tokens.Json["token_type"]);
        Assert.Equal(key.Thumbprint, (string?)Jwt.Payload(tokens.AccessToken)["cnf"]!["jkt"]);
    }

    [Fact]
    public async Task A_token_exchange_with_a_proof_gets_a_token_bound_to_its_key_and_a_bad_proof_is_refused()
    {
        using var key = DpopKey.NewEs256();
        using var other = DpopKey.NewEs256();
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid message");
        var exchange = new[]
        {
            ("grant_type", TokenExchange), ("subject_token", user.AccessToken), ("subject_token_type", AccessTokenType),
            ("audience", PeopleImport.InternalAudience),
        };
        var gateway = ProtocolClient.Basic(PeopleImport.Gateway, PeopleImport.GatewaySecret);

        // A proof whose jwk header names another key than the one that signed it: no key is proven.
        var forged = key.Proof("POST", TokenUrl, headerJwk: other.PublicJwk);
        var refused = await TokenWithProofAsync(gateway, forged, exchange);
        var exchanged = await TokenWithProofAsync(gateway, key.Proof("POST", TokenUrl), exchange);

        AssertInvalidProof(refused, "the DPoP proof's signature does not verify with its jwk");
        Assert.Equal(200, exchanged.Status);
        Assert.Equal("DPoP", (string?)exchanged.Json["token_type"]);
        Assert.Equal(key.Thumbprint, (string?)Jwt.Payload(exchanged.AccessToken)["cnf"]!["jkt"]);
    }

    private async Task<ProtocolResponse> TokenWithProofAsync(
        System.Net.Http.Headers.AuthenticationHeaderValue? authorization, string proof, (string Name, string Value)[] parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Headers = { Authorization = authorization },
            Content = new FormUrlEncodedContent(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await Protocol.SendAsync(request);
    }

    private static void AssertInvalidProof(ProtocolResponse response, string description)
    {
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_dpop_proof", response.Error);
        Assert.Equal(description, response.ErrorDescription);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class DpopGrantTests_Sqlite(SqlitePeopleFixture f) : DpopGrantTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class DpopGrantTests_Postgres(PostgresPeopleFixture f) : DpopGrantTests(f.Server);
