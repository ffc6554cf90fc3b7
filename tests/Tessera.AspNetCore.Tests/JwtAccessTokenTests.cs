using System.Net;
using System.Text.Json.Nodes;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.AspNetCore.Tests;

/// <summary>RFC 9068 access tokens validated locally: each check is tried with a token that fails only that check.</summary>
public sealed class JwtAccessTokenTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>, IAsyncLifetime
{
    private ResourceApi _api = null!;

    public async Task InitializeAsync() =>
        _api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o => o.ClockSkew = TimeSpan.Zero);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string description)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_issued_for_this_api_is_accepted_and_its_claims_reach_the_endpoint()
    {
        var response = await _api.GetAsync("/messages", await issuer.TokenAsync("message"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("svc", (string?)body["sub"]);
        Assert.Equal("svc", (string?)body["client_id"]);
        Assert.Equal("message", (string?)body["scope"]);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_after_it_was_accepted_and_cached()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.BriefAudience, o => o.ClockSkew = TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/messages", "warm.up.discovery")).StatusCode);
        var token = await issuer.TokenAsync("brief");   // the brief API's tokens live one second
        var first = await api.GetAsync("/messages", token);
        Assert.NotEqual(HttpStatusCode.Unauthorized, first.StatusCode);   // valid (403: no message scope), so cached
        await Task.Delay(TimeSpan.FromSeconds(2.1));
        // The cache keeps a validated token no longer than its exp (JwtCacheWindow is 30 s by default).
        await AssertRefusedAsync(await api.GetAsync("/messages", token), "the token is expired");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused() =>
        await AssertRefusedAsync(await _api.GetAsync("/messages", await issuer.TokenAsync("report")), "the token is not meant for this audience");

    [Fact]
    public async Task A_jwt_of_the_issuer_that_is_not_an_access_token_is_refused()
    {
        // Genuinely signed by the issuer, but typ "JWT" (an ID token's): RFC 9068 §4 requires at+jwt.
        var token = IssuerKeys.Sign(issuer.Server, ForgedTokens.Claims(issuer.Server.Issuer, IssuerFixture.MessagesAudience, "message"), "JWT");
        await AssertRefusedAsync(await _api.GetAsync("/messages", token), "the token is not an access token (typ must be at+jwt)");
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused()
    {
        var token = ForgedTokens.AlgNone(ForgedTokens.Claims(issuer.Server.Issuer, IssuerFixture.MessagesAudience, "message"));
        var response = await _api.GetAsync("/messages", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_under_the_issuers_kid_is_refused()
    {
        var kid = ForgedTokens.KeyIdOf(await issuer.TokenAsync("message"));
        var token = ForgedTokens.SignedByAttacker(ForgedTokens.Claims(issuer.Server.Issuer, IssuerFixture.MessagesAudience, "message"), kid);
        await AssertRefusedAsync(await _api.GetAsync("/messages", token), "the token's signature is invalid");
    }

    [Fact]
    public async Task A_token_naming_another_issuer_is_refused()
    {
        var token = IssuerKeys.Sign(issuer.Server, ForgedTokens.Claims("https://evil.example", IssuerFixture.MessagesAudience, "message"), "at+jwt");
        await AssertRefusedAsync(await _api.GetAsync("/messages", token), "the token has another issuer");
    }
}
