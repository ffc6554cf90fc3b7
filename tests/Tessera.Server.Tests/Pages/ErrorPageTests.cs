using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Pages;

/// <summary>Issue 20: the error page a person lands on says what happened in a sentence first; the protocol's words follow, small.</summary>
public abstract class ErrorPageTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task An_unknown_application_is_explained_in_a_sentence_before_the_protocol_error()
    {
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl("no-such-client", "https://app.example/cb", "openid", NewPkce().Challenge)));

        Assert.Equal(400, page.Status);
        var sentence = page.Html.IndexOf("is not known to this sign-in service", StringComparison.Ordinal);
        var code = page.Html.IndexOf("<small>Error code: <code>invalid_client</code></small>", StringComparison.Ordinal);
        Assert.True(sentence > 0 && code > sentence, page.Html);
        Assert.Contains("<small>the client is not registered</small>", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_used_sign_in_link_says_so()
    {
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(
            "/connect/authorize?client_id=" + PeopleImport.Web + "&request_uri=urn:ietf:params:oauth:request_uri:used-or-never-issued-0123456789abcdef"));

        Assert.Equal(400, page.Status);
        Assert.Contains("This sign-in link has expired or was already used.", page.Html, StringComparison.Ordinal);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class ErrorPageTests_Sqlite(SqlitePeopleFixture f) : ErrorPageTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class ErrorPageTests_Postgres(PostgresPeopleFixture f) : ErrorPageTests(f.Server);
