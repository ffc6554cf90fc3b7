using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Dpop;

/// <summary>
/// RFC 9449 §8 with Tessera:Dpop:NonceRequired: a nonce the server gave works until its lifetime ends, and then is
/// refused like none at all — use_dpop_nonce with a fresh one in DPoP-Nonce — so a proof made in advance with an old
/// nonce (on a device compromised then) cannot be used later.
/// </summary>
public abstract class DpopNonceTests(TesseraServer server) : ServerTest(server)
{
    private const string NonceHeader = "DPoP-Nonce";
    private const string NonceRefused = "the DPoP proof must carry the nonce given in the DPoP-Nonce header";

    [Fact]
    public async Task An_expired_nonce_is_refused_with_use_dpop_nonce_and_a_fresh_nonce()
    {
        await using var server = await TesseraServer.StartAsync(Server.Provider == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            PeopleImport.Create(), new Dictionary<string, string?>
            {
                ["Tessera:Dpop:NonceRequired"] = "true",
                ["Tessera:Dpop:NonceLifetime"] = "00:00:10",   // the shortest the setting allows
            });
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var tokenUrl = server.Issuer + "/connect/token";
        using var key = DpopKey.NewEs256();
        var first = await TokenWithProofAsync(protocol, key.Proof("POST", tokenUrl));
        Assert.Equal("use_dpop_nonce", first.Error);
        var given = Nonce(first);
        Assert.Equal(200, (await TokenWithProofAsync(protocol, key.Proof("POST", tokenUrl, nonce: given))).Status);

        await Task.Delay(TimeSpan.FromSeconds(11));
        // A fresh proof (its iat is now), carrying the nonce given 11 s ago.
        var expired = await TokenWithProofAsync(protocol, key.Proof("POST", tokenUrl, nonce: given));

        Assert.Equal(400, expired.Status);
        Assert.Equal("use_dpop_nonce", expired.Error);
        Assert.Equal(NonceRefused, expired.ErrorDescription);
        var fresh = Nonce(expired);
        Assert.NotEqual(given, fresh);
        var retried = await TokenWithProofAsync(protocol, key.Proof("POST", tokenUrl, nonce: fresh));
        Assert.Equal(200, retried.Status);
        Assert.Equal("DPoP", (string?)retried.Json["token_type"]);
    }

    private static string Nonce(ProtocolResponse response)
    {
        var nonce = Assert.Single(response.Http.Headers.GetValues(NonceHeader));
        Assert.False(string.IsNullOrEmpty(nonce));
        return nonce;
    }

    private static async Task<ProtocolResponse> TokenWithProofAsync(ProtocolClient protocol, string proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Headers = { Authorization = ProtocolClient.Basic(Service, ServiceSecret) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "message")]),
        };
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await protocol.SendAsync(request);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class DpopNonceTests_Sqlite(SqlitePeopleFixture f) : DpopNonceTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class DpopNonceTests_Postgres(PostgresPeopleFixture f) : DpopNonceTests(f.Server);
