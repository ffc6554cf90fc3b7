using Duende.IdentityModel.Client;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tests.Operations;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Dpop;

/// <summary>
/// RFC 9449 §11.1 and §8 across two nodes on one PostgreSQL: a proof accepted by one node is a replay at the other, and
/// a nonce one node gave is accepted by the other (both are decided by shared state, never by one node's memory).
/// </summary>
public sealed class DpopMultiNodeTests(TwoNodeFixture nodes) : IClassFixture<TwoNodeFixture>, IDisposable
{
    private readonly HttpClient _httpA = nodes.A.CreateClient();
    private readonly HttpClient _httpB = nodes.B.CreateClient();
    private string TokenUrl => nodes.A.Issuer + "/connect/token";

    [Fact]
    public async Task A_proof_used_at_one_node_is_refused_at_the_other()
    {
        using var key = DpopKey.NewEs256();
        var proof = key.Proof("POST", TokenUrl);
        Assert.Equal("DPoP", (await TokenAsync(_httpA, proof)).TokenType);

        var replay = await TokenAsync(_httpB, proof);

        Assert.Equal("invalid_dpop_proof", replay.Error);
        Assert.Equal("the DPoP proof was already used", replay.ErrorDescription);
    }

    [Fact]
    public async Task A_nonce_given_by_one_node_is_accepted_by_the_other_and_a_made_up_one_is_not()
    {
        var settings = nodes.NodeSettings();
        settings["Tessera:Dpop:NonceRequired"] = "true";
        await using var c = await TesseraServer.StartAsync(nodes.Database, PeopleImport.Create(), settings);
        await using var d = await TesseraServer.StartAsync(nodes.Database, PeopleImport.Create(), settings);
        using var httpC = c.CreateClient();
        using var httpD = d.CreateClient();
        using var key = DpopKey.NewEs256();

        // §8.1: without a nonce the answer is use_dpop_nonce with one in the DPoP-Nonce header.
        var first = await TokenAsync(httpC, key.Proof("POST", TokenUrl));
        Assert.Equal("use_dpop_nonce", first.Error);
        Assert.False(string.IsNullOrEmpty(first.DPoPNonce));

        var madeUp = await TokenAsync(httpD, key.Proof("POST", TokenUrl, nonce: "made-up-nonce"));
        Assert.Equal("use_dpop_nonce", madeUp.Error);

        var retried = await TokenAsync(httpD, key.Proof("POST", TokenUrl, nonce: first.DPoPNonce));
        Assert.False(retried.IsError, retried.Error);
        Assert.Equal("DPoP", retried.TokenType);
        // §8.2: a successful answer carries the nonce for the next request.
        Assert.False(string.IsNullOrEmpty(retried.DPoPNonce));
    }

    private static Task<TokenResponse> TokenAsync(HttpClient http, string proof) =>
        http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            // This node's own address; the proof's htu is the issuer's token endpoint, which every node answers for.
            Address = new Uri(http.BaseAddress!, "connect/token").ToString(), ClientId = Service, ClientSecret = ServiceSecret, Scope = "ledger", DPoPProofToken = proof,
        });

    public void Dispose()
    {
        _httpA.Dispose();
        _httpB.Dispose();
    }
}
