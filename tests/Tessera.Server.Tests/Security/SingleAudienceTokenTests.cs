using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// RFC 9700 §2.3: an access token names one API, so the API it is presented to cannot replay it at another. A grant
/// covering several APIs gives one token per API, chosen with <c>resource</c> (RFC 8707 §2.2) at the code, device or
/// refresh request; only a client the operator configured with <c>multiAudienceTokens</c> gets an <c>aud</c> array.
/// </summary>
public abstract class SingleAudienceTokenTests(TesseraServer server) : ServerTest(server)
{
    private const string TwoApis = "openid offline_access message inventory";

    private async Task<ProtocolResponse> RedeemAsync(string scope, params (string Name, string Value)[] extra)
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null)))["code"];
        return await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect), .. extra]);
    }

    private Task<ProtocolResponse> RefreshAsync(string refreshToken, params (string Name, string Value)[] extra) =>
        Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, [("grant_type", "refresh_token"), ("refresh_token", refreshToken), .. extra]);

    private static JsonNode Audience(ProtocolResponse response) => Jwt.Payload(response.AccessToken)["aud"]!;

    [Fact]
    public async Task A_client_credentials_token_for_two_apis_is_refused_unless_the_client_may_have_multi_audience_tokens()
    {
        var refused = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message inventory");
        var twoResources = await Protocol.TokenAsync(Service, ServiceSecret,
            ("grant_type", "client_credentials"), ("resource", MessagesAudience), ("resource", InventoryAudience));
        var allowed = await Protocol.ClientCredentialsAsync(MultiAudience, MultiAudienceSecret, "message inventory");

        Assert.Equal("invalid_target", refused.Error);
        Assert.StartsWith("one access token is for one API, and this covers messages, inventory", refused.ErrorDescription);
        Assert.Equal("invalid_target", twoResources.Error);
        Assert.Equal(200, allowed.Status);
        Assert.Equal(2, Audience(allowed).AsArray().Count);
    }

    [Fact]
    public async Task A_users_grant_for_two_apis_is_redeemed_only_with_a_resource_and_the_token_names_that_api_alone()
    {
        var withoutResource = await RedeemAsync(TwoApis);
        var forMessages = await RedeemAsync(TwoApis, ("resource", MessagesAudience));

        Assert.Equal("invalid_target", withoutResource.Error);
        Assert.Equal(200, forMessages.Status);
        Assert.Equal(MessagesAudience, (string)Audience(forMessages)!);
        Assert.Equal("openid offline_access message", (string?)forMessages.Json["scope"]);
        Assert.Equal("openid offline_access message", (string?)Jwt.Payload(forMessages.AccessToken)["scope"]);
    }

    [Fact]
    public async Task A_refresh_picks_another_api_of_the_grant_and_a_resource_outside_it_is_refused_without_using_up_the_token()
    {
        var tokens = await RedeemAsync(TwoApis, ("resource", MessagesAudience));

        var outside = await RefreshAsync(RefreshTokenOf(tokens), ("resource", LedgerAudience));
        var malformed = await RefreshAsync(RefreshTokenOf(tokens), ("resource", "api.example/inventory"));
        var forInventory = await RefreshAsync(RefreshTokenOf(tokens), ("resource", InventoryAudience));
        var bothAgain = await RefreshAsync(RefreshTokenOf(forInventory));

        Assert.Equal("invalid_target", outside.Error);
        Assert.Equal($"the grant does not cover resource '{LedgerAudience}'", outside.ErrorDescription);
        Assert.Equal("invalid_target", malformed.Error);
        // Neither refusal rotated the token: it still refreshes.
        Assert.Equal(200, forInventory.Status);
        Assert.Equal(InventoryAudience, (string)Audience(forInventory)!);
        Assert.Equal("openid offline_access inventory", (string?)forInventory.Json["scope"]);
        Assert.Equal("invalid_target", bothAgain.Error);
    }

    [Fact]
    public async Task A_device_grant_for_two_apis_is_redeemed_with_a_resource_and_a_refusal_does_not_use_up_the_device_code()
    {
        var device = await DeviceFlow.AuthorizeAsync(Protocol, "openid message tessera:pats");
        await DeviceFlow.UserDecidesAsync(Server, DeviceFlow.UserCode(device), "allow");
        (string, string) Poll = ("grant_type", DeviceFlow.GrantType);

        var withoutResource = await Protocol.PostAsync("/connect/token", null, Poll, ("client_id", PeopleImport.Cli), ("device_code", DeviceFlow.DeviceCode(device)));
        var forMessages = await Protocol.PostAsync("/connect/token", null, Poll, ("client_id", PeopleImport.Cli),
            ("device_code", DeviceFlow.DeviceCode(device)), ("resource", MessagesAudience));

        Assert.Equal("invalid_target", withoutResource.Error);
        Assert.Equal(200, forMessages.Status);
        Assert.Equal(MessagesAudience, (string)Audience(forMessages)!);
        Assert.Equal("openid message", (string?)forMessages.Json["scope"]);
    }

    [Fact]
    public async Task A_grant_for_one_api_needs_no_resource()
    {
        var tokens = await RedeemAsync("openid offline_access message");
        var refreshed = await RefreshAsync(RefreshTokenOf(tokens));

        Assert.Equal(MessagesAudience, (string)Audience(tokens)!);
        Assert.Equal(MessagesAudience, (string)Audience(refreshed)!);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class SingleAudienceTokenTests_Sqlite(SqlitePeopleFixture f) : SingleAudienceTokenTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class SingleAudienceTokenTests_Postgres(PostgresPeopleFixture f) : SingleAudienceTokenTests(f.Server);
