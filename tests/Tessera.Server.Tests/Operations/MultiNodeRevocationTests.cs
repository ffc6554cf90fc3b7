using System.Diagnostics;
using System.Net.Http.Headers;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// RFC 7009 §2.2 across a cluster with the in-memory revocation lists: the revoking node refuses a revoked token at once,
/// every other node within its revocation poll, and a node started later from the start (docs/security.md).
/// </summary>
public sealed class MultiNodeRevocationTests(TwoNodeFixture nodes) : IClassFixture<TwoNodeFixture>, IDisposable
{
    // The poll interval, and room for a loaded test machine to run the poll and the request.
    private static readonly TimeSpan Window = TwoNodeFixture.RevocationPollInterval + TimeSpan.FromSeconds(2);

    private readonly HttpClient _httpA = nodes.A.CreateClient();
    private readonly HttpClient _httpB = nodes.B.CreateClient();
    private ProtocolClient A => new(_httpA);
    private ProtocolClient B => new(_httpB);

    [Fact]
    public async Task A_jwt_revoked_at_one_node_is_inactive_there_at_once_and_at_the_other_within_the_poll()
    {
        var token = (await A.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.True((await B.IntrospectAsync(Other, OtherSecret, token)).Active);

        Assert.Equal(200, (await A.RevokeAsync(Service, ServiceSecret, token)).Status);
        var revokedAt = Stopwatch.StartNew();

        Assert.False((await A.IntrospectAsync(Other, OtherSecret, token)).Active);
        Assert.True(await BecomesTrueAsync(async () => !(await B.IntrospectAsync(Other, OtherSecret, token)).Active),
            $"still active at the other node {revokedAt.Elapsed} after the revocation");
    }

    [Fact]
    public async Task A_user_token_revoked_at_one_node_no_longer_reads_userinfo_at_the_other_within_the_poll()
    {
        var token = (await WebTokensAsync(nodes.A, A, "openid offline_access")).AccessToken;
        Assert.Equal(200, await UserInfoStatusAsync(_httpB, token));

        Assert.Equal(200, (await A.RevokeAsync(PeopleImport.Web, PeopleImport.WebSecret, token)).Status);

        Assert.Equal(401, await UserInfoStatusAsync(_httpA, token));
        Assert.True(await BecomesTrueAsync(async () => await UserInfoStatusAsync(_httpB, token) == 401));
    }

    [Fact]
    public async Task An_opaque_token_revoked_at_one_node_is_inactive_at_the_other_within_the_poll_although_cached_there()
    {
        var token = (await A.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
        Assert.True((await B.IntrospectAsync(Other, OtherSecret, token)).Active);

        Assert.Equal(200, (await A.RevokeAsync(Service, ServiceSecret, token)).Status);

        Assert.False((await A.IntrospectAsync(Other, OtherSecret, token)).Active);
        Assert.True(await BecomesTrueAsync(async () => !(await B.IntrospectAsync(Other, OtherSecret, token)).Active));
    }

    [Fact]
    public async Task A_refresh_family_revoked_at_one_node_takes_its_jwts_at_the_other_within_the_poll()
    {
        var first = await WebTokensAsync(nodes.A, A, "openid offline_access message");
        var second = await RefreshAsync(A, RefreshTokenOf(first));
        Assert.True((await B.IntrospectAsync(Other, OtherSecret, second.AccessToken)).Active);

        Assert.Equal(200, (await A.RevokeAsync(PeopleImport.Web, PeopleImport.WebSecret, RefreshTokenOf(second))).Status);

        Assert.True(await BecomesTrueAsync(async () =>
            !(await B.IntrospectAsync(Other, OtherSecret, first.AccessToken)).Active && !(await B.IntrospectAsync(Other, OtherSecret, second.AccessToken)).Active));
    }

    [Fact]
    public async Task A_node_started_after_a_revocation_refuses_the_token_from_its_first_request()
    {
        var token = (await A.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(200, (await A.RevokeAsync(Service, ServiceSecret, token)).Status);

        // Its poll an hour away: only the list loaded at start can know.
        var settings = nodes.NodeSettings();
        settings["Tessera:Cache:RevocationPollInterval"] = "01:00:00";
        await using var later = await TesseraServer.StartAsync(nodes.Database, PeopleImport.Create(), settings);
        using var http = later.CreateClient();

        Assert.False((await new ProtocolClient(http).IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task A_revoked_jwt_leaves_the_nodes_memory_once_it_has_expired()
    {
        // The "short" API's tokens live two seconds.
        var token = (await A.ClientCredentialsAsync(Service, ServiceSecret, "short")).AccessToken;
        var jti = (string)Jwt.Payload(token)["jti"]!;
        Assert.Equal(200, (await A.RevokeAsync(Service, ServiceSecret, token)).Status);
        var listB = nodes.B.GetService<RevokedJwtList>();
        Assert.True(await BecomesTrueAsync(() => Task.FromResult(listB.Contains(jti))));

        var forgotten = await BecomesTrueAsync(() => Task.FromResult(!listB.Contains(jti) && !nodes.A.GetService<RevokedJwtList>().Contains(jti)),
            TimeSpan.FromSeconds(2) + Window);

        Assert.True(forgotten);
        Assert.False((await B.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    private static async Task<int> UserInfoStatusAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>Whether <paramref name="condition"/> holds within <paramref name="within"/> (the window by default), asked every 50 ms.</summary>
    private static async Task<bool> BecomesTrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        do
        {
            if (await condition()) return true;
            await Task.Delay(50);
        } while (deadline.Elapsed < (within ?? Window));
        return await condition();
    }

    public void Dispose()
    {
        _httpA.Dispose();
        _httpB.Dispose();
    }
}
