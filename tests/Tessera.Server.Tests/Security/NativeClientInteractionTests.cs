using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// RFC 8252 §8.6: any app on the device can listen on a loopback port, so a public native client's request is never
/// answered silently from an earlier consent; the user approves each one.
/// </summary>
public abstract class NativeClientInteractionTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_public_native_client_on_a_new_loopback_port_gets_no_code_silently_after_an_earlier_consent()
    {
        using var browser = new Browser(Server);
        var first = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50001/callback", "openid", NewPkce().Challenge)));
        Assert.True(first.ContainsKey("code"));

        // Another app on the device, listening on its own port, asks silently in the user's browser.
        var silent = await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50002/callback", "openid", NewPkce().Challenge, ("prompt", "none")));

        Assert.StartsWith("http://127.0.0.1:50002/callback?", silent.Location);
        var answer = Callback(silent);
        Assert.Equal("consent_required", answer["error"]);
        Assert.False(answer.ContainsKey("code"));
    }

    [Fact]
    public async Task A_public_native_client_is_sent_to_the_consent_page_every_time()
    {
        using var browser = new Browser(Server);
        Assert.True(Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50003/callback", "openid", NewPkce().Challenge))).ContainsKey("code"));

        var again = await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50004/callback", "openid", NewPkce().Challenge));

        Assert.StartsWith("/consent?", again.Location);
    }

    [Fact]
    public async Task An_approval_of_one_native_request_cannot_be_lifted_to_another()
    {
        using var browser = new Browser(Server);
        var consent = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50005/callback", "openid", NewPkce().Challenge)));
        if (consent.RequestPath.StartsWith("/account/sign-in", StringComparison.Ordinal))
            consent = await browser.FollowAsync(await browser.SubmitAsync(consent, consent.RequestPath,
                [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", consent.Field("returnUrl")!)]));
        Assert.StartsWith("/consent", consent.RequestPath);
        var approved = await browser.SubmitAsync(consent, "/consent", [("returnUrl", consent.Field("returnUrl")!), ("decision", "allow")]);
        var proof = QueryHelpers.ParseQuery(new Uri(Server.BaseAddress, approved.Location!).Query)["interaction"].ToString();
        Assert.NotEmpty(proof);

        // The proof of the approved request, attached to a request for another port (another app).
        var lifted = await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50006/callback", "openid", NewPkce().Challenge, ("interaction", proof)));
        var liftedSilently = await browser.GetAsync(AuthorizeUrl(PeopleImport.Native, "http://127.0.0.1:50006/callback", "openid", NewPkce().Challenge, ("interaction", proof), ("prompt", "none")));

        Assert.StartsWith("/consent?", lifted.Location);
        Assert.Equal("consent_required", Callback(liftedSilently)["error"]);
        // The approved request itself gets its code.
        Assert.True(Callback(await browser.GetAsync(approved.Location!)).ContainsKey("code"));
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class NativeClientInteractionTests_Sqlite(SqlitePeopleFixture f) : NativeClientInteractionTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class NativeClientInteractionTests_Postgres(PostgresPeopleFixture f) : NativeClientInteractionTests(f.Server);
