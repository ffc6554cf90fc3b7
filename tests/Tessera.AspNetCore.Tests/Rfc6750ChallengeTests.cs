using System.Net;
using Tessera.AspNetCore.Tests.Infrastructure;

namespace Tessera.AspNetCore.Tests;

/// <summary>RFC 6750 §2 (where the token may be) and §3 (the WWW-Authenticate challenge), asserted byte for byte.</summary>
public sealed class Rfc6750ChallengeTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>, IAsyncLifetime
{
    private ResourceApi _api = null!;

    public async Task InitializeAsync() => _api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience);
    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_request_without_a_token_gets_401_with_a_bare_bearer_challenge()
    {
        var response = await _api.GetAsync("/messages", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // RFC 6750 §3.1: no error code when the request had no authentication information.
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_malformed_token_gets_401_invalid_token()
    {
        var response = await _api.GetAsync("/messages", "not.a.jwt");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is malformed or invalid\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_valid_token_without_the_scope_gets_403_insufficient_scope_naming_the_scope()
    {
        var response = await _api.GetAsync("/messages/write", await issuer.TokenAsync("message"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"message:write\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_scope_attribute_admits_a_token_with_the_scope()
    {
        var response = await _api.GetAsync("/messages/write", await issuer.TokenAsync("message message:write"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_ignored()
    {
        var response = await _api.Client.GetAsync($"/messages?access_token={await issuer.TokenAsync("message")}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_authorization_header_with_another_scheme_is_not_a_bearer_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages");
        request.Headers.TryAddWithoutValidation("Authorization", $"Basic {await issuer.TokenAsync("message")}");
        var response = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_api_reading_the_identity_header_ignores_the_authorization_header()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o => o.TokenHeader = TesseraDefaults.IdentityHeader);
        var token = await issuer.TokenAsync("message");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/messages", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/messages", token, TesseraDefaults.IdentityHeader)).StatusCode);
    }
}
