using System.Net;
using System.Text.Json.Nodes;
using Tessera.AspNetCore.Tests.Infrastructure;

namespace Tessera.AspNetCore.Tests;

/// <summary>Opaque tokens by RFC 7662 introspection, cached by the token's hash within the window and the token's exp.</summary>
public sealed class IntrospectionTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>
{
    private Task<ResourceApi> StartLedgerAsync(TimeSpan window, bool issuerDownOnce = false) =>
        ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, o =>
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
            o.IntrospectionCacheWindow = window;
            if (issuerDownOnce) o.BackchannelHttpHandler = new IssuerDownOnce(o.BackchannelHttpHandler!);
        });

    [Fact]
    public async Task An_opaque_token_is_introspected_once_per_cache_window_not_per_request()
    {
        await using var api = await StartLedgerAsync(TimeSpan.FromMinutes(5));
        var token = await issuer.TokenAsync("ledger");
        Assert.StartsWith("tsr_at_", token);

        for (var i = 0; i < 10; i++)
        {
            var response = await api.GetAsync("/ledger", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("svc", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["sub"]);
        }
        Assert.Equal(1, api.IssuerRequests["/connect/introspect"]);
    }

    [Fact]
    public async Task Parallel_first_requests_with_a_new_token_share_one_introspection()
    {
        await using var api = await StartLedgerAsync(TimeSpan.FromMinutes(5));
        var token = await issuer.TokenAsync("ledger");

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => api.GetAsync("/ledger", token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, api.IssuerRequests["/connect/introspect"]);
    }

    [Fact]
    public async Task A_revoked_opaque_token_works_until_the_window_ends_then_stops()
    {
        var window = TimeSpan.FromSeconds(2);
        await using var api = await StartLedgerAsync(window);
        var token = await issuer.TokenAsync("ledger");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/ledger", token)).StatusCode);

        var revoked = await issuer.Protocol.RevokeAsync(IssuerFixture.Service, IssuerFixture.ServiceSecret, token);
        Assert.Equal(200, revoked.Status);
        // The documented delay: the cached answer still counts inside the window ...
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/ledger", token)).StatusCode);
        await Task.Delay(window + TimeSpan.FromMilliseconds(300));
        // ... and the next introspection says inactive.
        var after = await api.GetAsync("/ledger", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is not active\"", after.Headers.WwwAuthenticate.ToString());
        Assert.Equal(2, api.IssuerRequests["/connect/introspect"]);
    }

    [Fact]
    public async Task Nodes_sharing_a_distributed_cache_refuse_a_revoked_token_once_its_window_ends()
    {
        // The attack: requests with a revoked token alternate between two nodes of one API, each finding the other's
        // cached answer; written back, that answer would start a new window every time and never end.
        var shared = new SharedDistributedCache();
        var window = TimeSpan.FromSeconds(2);
        void Configure(TesseraOptions o)
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
            o.IntrospectionCacheWindow = window;
            o.UseDistributedCache = true;
        }
        await using var a = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, Configure, shared);
        await using var b = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, Configure, shared);
        var token = await issuer.TokenAsync("ledger");
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/ledger", token)).StatusCode);
        await shared.WaitForWritesAsync(1);
        Assert.Equal(200, (await issuer.Protocol.RevokeAsync(IssuerFixture.Service, IssuerFixture.ServiceSecret, token)).Status);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12 && !statuses.Contains(HttpStatusCode.Unauthorized); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            statuses.Add((await (i % 2 == 0 ? b : a).GetAsync("/ledger", token)).StatusCode);
        }

        // Within the window the shared answer counts (had b asked the issuer, it would have heard "inactive");
        // after the window, the token is refused.
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.True(statuses.Count <= 2 * window.TotalSeconds + 2, $"refused only after {statuses.Count} calls of 0.5 s");
    }

    [Fact]
    public async Task A_node_serves_a_token_another_node_introspected_from_the_shared_cache_without_writing_it_back()
    {
        var shared = new SharedDistributedCache();
        void Configure(TesseraOptions o)
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
            o.IntrospectionCacheWindow = TimeSpan.FromMinutes(5);
            o.UseDistributedCache = true;
        }
        await using var a = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, Configure, shared);
        await using var b = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, Configure, shared);
        var token = await issuer.TokenAsync("ledger");

        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/ledger", token)).StatusCode);
        // a's answer reaches the shared cache after a's response (HybridCache writes it in the background).
        await shared.WaitForWritesAsync(1);
        for (var i = 0; i < 3; i++)
        {
            var response = await b.GetAsync("/ledger", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("svc", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["sub"]);
        }

        Assert.Equal(1, a.IssuerRequests["/connect/introspect"]);
        Assert.Equal(0, b.IssuerRequests["/connect/introspect"]);
        // Only a's answer was written; b keeps what it read in memory and never writes it back (its window would restart).
        Assert.Equal(1, shared.Writes);
    }

    [Fact]
    public async Task A_cached_answer_is_not_used_past_the_tokens_exp_even_inside_the_window()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.FlashAudience, o =>
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
            o.IntrospectionCacheWindow = TimeSpan.FromMinutes(5);
        });
        var token = await issuer.TokenAsync("flash");   // the flash API's opaque tokens live two seconds
        // Active (403: the route wants the message scope), so its answer is cached for a window of five minutes ...
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/messages", token)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        // ... but once the token's exp has passed, the answer no longer lets it in.
        var after = await api.GetAsync("/messages", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is not active\"", after.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_introspection_that_gets_no_answer_is_not_cached_and_the_next_request_asks_again()
    {
        await using var api = await StartLedgerAsync(TimeSpan.FromMinutes(5), issuerDownOnce: true);
        var token = await issuer.TokenAsync("ledger");

        var first = await api.GetAsync("/ledger", token);
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token could not be checked\"", first.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/ledger", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/ledger", token)).StatusCode);
        Assert.Equal(1, api.IssuerRequests["/connect/introspect"]);   // the 503 never reached the issuer; then one answer, cached
    }

    [Fact]
    public async Task A_bearer_string_that_cannot_be_a_tessera_token_is_refused_without_asking_the_issuer()
    {
        await using var api = await StartLedgerAsync(TimeSpan.FromMinutes(5));

        foreach (var bearer in RandomBearers.Create(100))
        {
            var response = await api.GetAsync("/ledger", bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(0, api.IssuerRequests["/connect/introspect"]);
        // The rule lets real tokens through: a genuine handle is still introspected.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/ledger", await issuer.TokenAsync("ledger"))).StatusCode);
        Assert.Equal(1, api.IssuerRequests["/connect/introspect"]);
    }

    /// <summary>The shape of a real handle (tsr_at_ and 43 base64url characters), which only the issuer can tell is not one.</summary>
    private const string UnknownHandle = "tsr_at_notARealHandle-butOfTheRightShape_012345678";

    [Fact]
    public async Task An_unknown_handle_is_refused_and_its_inactive_answer_is_cached_too()
    {
        await using var api = await StartLedgerAsync(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/ledger", UnknownHandle)).StatusCode);
        Assert.Equal(1, api.IssuerRequests["/connect/introspect"]);
    }

    [Fact]
    public async Task An_active_opaque_token_for_another_audience_is_refused()
    {
        // The ledger's token, presented to the messages API (which also introspects): active, but not for it.
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o =>
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
        });
        var response = await api.GetAsync("/ledger", await issuer.TokenAsync("ledger"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is not meant for this audience\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_api_without_client_credentials_accepts_only_jwts()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience);
        var response = await api.GetAsync("/ledger", await issuer.TokenAsync("ledger"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, api.IssuerRequests["/connect/introspect"]);
    }
}
