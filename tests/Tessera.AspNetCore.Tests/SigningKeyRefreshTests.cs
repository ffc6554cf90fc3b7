using System.Net;
using System.Net.Http.Headers;
using Tessera.AspNetCore.Tests.Infrastructure;

namespace Tessera.AspNetCore.Tests;

/// <summary>An unknown kid makes the API fetch the JWKS again, at most once per RefreshInterval.</summary>
public sealed class SigningKeyRefreshTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>
{
    [Fact]
    public async Task A_flood_of_tokens_with_unknown_kids_fetches_the_jwks_at_most_once_per_refresh_interval()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o => o.RefreshInterval = TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/messages", await issuer.TokenAsync("message"))).StatusCode);
        var before = api.IssuerRequests["/jwks"];

        for (var i = 0; i < 40; i++)
        {
            var forged = ForgedTokens.SignedByAttacker(ForgedTokens.Claims(issuer.Server.Issuer, IssuerFixture.MessagesAudience, "message"), $"bogus-{i}");
            var response = await api.GetAsync("/messages", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.InRange(api.IssuerRequests["/jwks"] - before, 0, 1);
    }

    [Fact]
    public async Task A_key_rotated_in_after_the_api_started_is_accepted_once_the_jwks_is_fetched_again()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o => o.RefreshInterval = TimeSpan.FromSeconds(1));
        var first = await issuer.TokenAsync("message");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/messages", first)).StatusCode);

        var admin = await issuer.Protocol.ClientCredentialsAsync(IssuerFixture.Admin, IssuerFixture.AdminSecret, "tessera:admin");
        using var rotate = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate?algorithm=RS256");
        rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        var rotated = await issuer.Protocol.Http.SendAsync(rotate);
        Assert.True(rotated.IsSuccessStatusCode, await rotated.Content.ReadAsStringAsync());

        var second = await issuer.TokenAsync("message");
        Assert.NotEqual(ForgedTokens.KeyIdOf(first), ForgedTokens.KeyIdOf(second));
        // The first request with the new kid triggers the fetch; allow the refresh a few bounded attempts.
        var status = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.OK; attempt++)
        {
            if (attempt > 0) await Task.Delay(250);
            status = (await api.GetAsync("/messages", second)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
