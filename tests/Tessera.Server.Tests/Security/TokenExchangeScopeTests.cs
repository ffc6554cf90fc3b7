using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.PeopleImport;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// RFC 8693 §5: a token exchange passes on only scopes the subject token carries and the exchanging client is
/// registered for. The gateway is registered for message, not message:write.
/// </summary>
public abstract class TokenExchangeScopeTests(TesseraServer server) : ServerTest(server)
{
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    private Task<ProtocolResponse> GatewayExchangesAsync(string subjectToken, params (string Name, string Value)[] extra) =>
        Protocol.TokenAsync(Gateway, GatewaySecret,
            [("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", subjectToken), ("subject_token_type", AccessTokenType), .. extra]);

    [Fact]
    public async Task An_exchange_cannot_pass_on_a_scope_the_exchanging_client_is_not_registered_for()
    {
        // The attack: a caller's token with message:write, exchanged by a gateway that may not hold message:write.
        var subject = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message message:write")).AccessToken;

        var forInternal = await GatewayExchangesAsync(subject, ("audience", InternalAudience));
        var forMessages = await GatewayExchangesAsync(subject, ("audience", MessagesAudience));
        var asked = await GatewayExchangesAsync(subject, ("audience", MessagesAudience), ("scope", "message message:write"));

        Assert.Equal("message", (string?)Jwt.Payload(forInternal.AccessToken)["scope"]);
        Assert.Equal("message", (string?)Jwt.Payload(forMessages.AccessToken)["scope"]);
        Assert.Equal("invalid_scope", asked.Error);
        Assert.Equal("the client is not registered for scope 'message:write'", asked.ErrorDescription);
    }

    [Fact]
    public async Task An_exchange_of_a_token_with_no_scope_the_client_is_registered_for_is_refused()
    {
        var subject = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message:write")).AccessToken;

        var exchanged = await GatewayExchangesAsync(subject, ("audience", InternalAudience));

        Assert.Equal(400, exchanged.Status);
        Assert.Equal("invalid_scope", exchanged.Error);
        Assert.Equal("the subject token carries no scope the client is registered for", exchanged.ErrorDescription);
    }

    [Fact]
    public async Task A_personal_access_token_exchanged_by_the_gateway_carries_only_scopes_the_gateway_may_hold()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var pat = (string)(await PatApi.CreateAsync(Protocol, bearer,
            new { name = "wide", scopes = new[] { "message", "message:write", "ledger" }, expires_in_days = 1 })).Json["token"]!;

        var exchanged = await GatewayExchangesAsync(pat, ("audience", InternalAudience));

        Assert.Equal(200, exchanged.Status);
        Assert.Equal("message ledger", (string?)Jwt.Payload(exchanged.AccessToken)["scope"]);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class TokenExchangeScopeTests_Sqlite(SqlitePeopleFixture f) : TokenExchangeScopeTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class TokenExchangeScopeTests_Postgres(PostgresPeopleFixture f) : TokenExchangeScopeTests(f.Server);
