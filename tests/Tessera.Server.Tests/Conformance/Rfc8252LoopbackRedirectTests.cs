using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 8252 §7.3: a native app's loopback IP redirect URI matches on any port; nothing else is loosened.</summary>
public abstract class Rfc8252LoopbackRedirectTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("http://127.0.0.1:53123/callback", "IPv4 loopback on a port chosen at run time")]
    [InlineData("http://127.0.0.1/callback", "the registered value itself")]
    [InlineData("http://[::1]:40000/callback", "IPv6 loopback on another port")]
    public async Task A_public_native_client_may_use_any_port_on_its_loopback_redirect(string redirectUri, string reason)
    {
        using var browser = new Browser(Server);
        var (_, challenge) = NewPkce();

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, redirectUri, "openid", challenge));

        Assert.True(response.Location?.StartsWith("/account/sign-in", StringComparison.Ordinal) == true, reason);
    }

    [Theory]
    [InlineData("http://127.0.0.1:53123/callback/", "another path")]
    [InlineData("http://127.0.0.1:53123/callback?x=1", "an added query")]
    [InlineData("http://localhost:53123/callback", "localhost is not the registered IP literal (RFC 8252 §8.3)")]
    [InlineData("http://127.0.0.2:53123/callback", "another loopback address")]
    [InlineData("https://127.0.0.1:53123/callback", "another scheme")]
    [InlineData("http://127.1:53123/callback", "a different spelling of the address")]
    [InlineData("http://user@127.0.0.1:53123/callback", "user information")]
    public async Task Only_the_port_may_differ(string redirectUri, string reason)
    {
        using var browser = new Browser(Server);
        var (_, challenge) = NewPkce();

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, redirectUri, "openid", challenge)));

        Assert.True(page.Status == 400, reason);
        Assert.Contains("redirect_uri is not registered for this client", page.Html);
    }

    [Fact]
    public async Task A_confidential_clients_loopback_redirect_still_needs_an_exact_match()
    {
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, "http://127.0.0.1:4999/callback", "openid", null)));

        Assert.Equal(400, page.Status);
        Assert.Contains("redirect_uri is not registered for this client", page.Html);
    }

    [Fact]
    public void The_rule_compares_text_not_a_normalized_uri()
    {
        Assert.True(RedirectUris.IsSameLoopbackRedirectOnAnotherPort("http://127.0.0.1:1/a?b=c", "http://127.0.0.1:2/a?b=c"));
        Assert.False(RedirectUris.IsSameLoopbackRedirectOnAnotherPort("http://127.0.0.1:1/a/../b", "http://127.0.0.1/b"));
        Assert.False(RedirectUris.IsSameLoopbackRedirectOnAnotherPort("http://127.0.0.1:1/A", "http://127.0.0.1/a"));
        Assert.False(RedirectUris.IsSameLoopbackRedirectOnAnotherPort("http://example.com:1/a", "http://example.com/a"));
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc8252LoopbackRedirectTests_Sqlite(SqlitePeopleFixture f) : Rfc8252LoopbackRedirectTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc8252LoopbackRedirectTests_Postgres(PostgresPeopleFixture f) : Rfc8252LoopbackRedirectTests(f.Server);
