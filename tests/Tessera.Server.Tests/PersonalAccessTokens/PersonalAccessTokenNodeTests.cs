using Tessera.Server.Tests.Operations;
using Tessera.Server.Tokens.Opaque;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.PersonalAccessTokens;

/// <summary>A PAT revoked on one node stops working on the other within its revocation poll, although that node had it cached.</summary>
public sealed class PersonalAccessTokenNodeTests(TwoNodeFixture nodes) : IClassFixture<TwoNodeFixture>, IDisposable
{
    private readonly HttpClient _httpA = nodes.A.CreateClient();
    private readonly HttpClient _httpB = nodes.B.CreateClient();

    [Fact]
    public async Task A_revocation_on_one_node_reaches_the_other_nodes_cache()
    {
        // Setup through the store the account page and the API use; what is tested is what each node answers.
        var userId = "user-" + Guid.NewGuid().ToString("n");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var (row, token) = await nodes.A.GetService<PersonalAccessTokenStore>().CreateAsync(userId, "nodes", "ledger", expiresAt, null, null, CancellationToken.None);
        var a = new ProtocolClient(_httpA);
        var b = new ProtocolClient(_httpB);
        Assert.True((await a.IntrospectAsync(Other, OtherSecret, token)).Active);
        Assert.True((await b.IntrospectAsync(Other, OtherSecret, token)).Active);

        Assert.True(await nodes.B.GetService<PersonalAccessTokenStore>().RevokeAsync(userId, row.Id, CancellationToken.None));

        Assert.False((await b.IntrospectAsync(Other, OtherSecret, token)).Active);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        bool activeAtA;
        do
        {
            activeAtA = (await a.IntrospectAsync(Other, OtherSecret, token)).Active;
            if (!activeAtA) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.False(activeAtA);
    }

    public void Dispose()
    {
        _httpA.Dispose();
        _httpB.Dispose();
    }
}
