using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 7636: PKCE, S256 only, required for public clients.</summary>
public abstract class Rfc7636PkceTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_public_client_without_a_code_challenge_gets_invalid_request_at_its_redirect_uri()
    {
        using var browser = new Browser(Server);

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid", null));

        var query = Callback(response);
        Assert.Equal("invalid_request", query["error"]);
        Assert.Contains("code_challenge is required", query["error_description"]);
    }

    [Theory]
    [InlineData("plain", "RFC 9700 §2.1.1: plain is not accepted")]
    [InlineData("", "RFC 7636 §4.3: a missing method means plain")]
    public async Task The_plain_method_is_refused(string method, string reason)
    {
        using var browser = new Browser(Server);
        var url = AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid", null, ("code_challenge", NewPkce().Challenge));
        if (method.Length > 0) url += "&code_challenge_method=" + method;

        var response = await browser.GetAsync(url);

        Assert.True(Callback(response)["error"] == "invalid_request", reason);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc7636PkceTests_Sqlite(SqlitePeopleFixture f) : Rfc7636PkceTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc7636PkceTests_Postgres(PostgresPeopleFixture f) : Rfc7636PkceTests(f.Server);
