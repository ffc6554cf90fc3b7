using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.PeopleImport;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 8693: the gateway exchanges a caller's token for a short-lived token to the internal services' API.</summary>
public abstract class Rfc8693TokenExchangeTests(TesseraServer server) : ServerTest(server)
{
    private const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";
    private const string JwtType = "urn:ietf:params:oauth:token-type:jwt";

    [Fact]
    public async Task A_users_jwt_access_token_becomes_an_internal_token_for_the_same_user_and_scopes()
    {
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid message");
        var subject = Jwt.Payload(user.AccessToken);

        var exchanged = await ExchangeAsync(user.AccessToken, ("audience", InternalAudience));

        Assert.Equal(200, exchanged.Status);
        Assert.Equal(AccessTokenType, (string?)exchanged.Json["issued_token_type"]);
        Assert.Equal("Bearer", (string?)exchanged.Json["token_type"]);
        Assert.Null(exchanged.Json["refresh_token"]);
        var validated = await Jwt.ValidateAsync(exchanged.AccessToken, Http, Server.Issuer, InternalAudience);
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var payload = Jwt.Payload(exchanged.AccessToken);
        Assert.Equal((string?)subject["sub"], (string?)payload["sub"]);
        Assert.Equal("openid message", (string?)payload["scope"]);
        Assert.Equal(Gateway, (string?)payload["client_id"]);
        Assert.Equal("ES256", (string?)Jwt.Header(exchanged.AccessToken)["alg"]);
        Assert.True((long)payload["exp"]! <= (long)subject["exp"]!, "the new token never outlives the subject token");
        Assert.Null(payload["act"]);
    }

    [Fact]
    public async Task An_opaque_access_token_is_accepted_as_subject_and_the_result_is_introspectable()
    {
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid ledger");
        Assert.StartsWith("tsr_at_", user.AccessToken);

        var exchanged = await ExchangeAsync(user.AccessToken, ("resource", InternalAudience));

        Assert.Equal(200, exchanged.Status);
        Assert.Equal("openid ledger", (string?)exchanged.Json["scope"]);
        var introspected = await Protocol.IntrospectAsync(Other, OtherSecret, exchanged.AccessToken);
        Assert.True(introspected.Active);
        Assert.Equal(InternalAudience, (string?)introspected.Json["aud"]);
        Assert.Equal((string?)(await Protocol.IntrospectAsync(Other, OtherSecret, user.AccessToken)).Json["sub"], (string?)introspected.Json["sub"]);
    }

    [Fact]
    public async Task A_personal_access_token_is_accepted_as_subject_until_it_is_revoked()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "exchange", scopes = new[] { "message" }, expires_in_days = 1 });
        var pat = (string)created.Json["token"]!;

        var exchanged = await ExchangeAsync(pat, ("audience", InternalAudience));
        await PatApi.RevokeAsync(Protocol, bearer, (string)created.Json["id"]!);
        var afterRevocation = await ExchangeAsync(pat, ("audience", InternalAudience));

        Assert.Equal(200, exchanged.Status);
        Assert.Equal("message", (string?)Jwt.Payload(exchanged.AccessToken)["scope"]);
        Assert.Equal((string?)Jwt.Payload(bearer)["sub"], (string?)Jwt.Payload(exchanged.AccessToken)["sub"]);
        Assert.Equal("invalid_grant", afterRevocation.Error);
    }

    [Fact]
    public async Task A_client_credentials_token_keeps_the_client_as_subject_and_the_audience_may_be_the_api_name()
    {
        var service = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var exchanged = await ExchangeAsync(service, ("audience", "internal"));

        Assert.Equal(200, exchanged.Status);
        Assert.Equal(Service, (string?)Jwt.Payload(exchanged.AccessToken)["sub"]);
    }

    [Fact]
    public async Task Scope_may_narrow_the_subject_tokens_scopes_but_not_widen_them()
    {
        var service = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message message:write")).AccessToken;

        var narrowed = await ExchangeAsync(service, ("audience", InternalAudience), ("scope", "message"));
        var subjectOnly = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var widened = await ExchangeAsync(subjectOnly, ("audience", InternalAudience), ("scope", "message message:write"));

        Assert.Equal("message", (string?)Jwt.Payload(narrowed.AccessToken)["scope"]);
        Assert.Equal("invalid_scope", widened.Error);
        Assert.Equal("scope 'message:write' is not granted by the subject token", widened.ErrorDescription);
    }

    [Theory]
    [InlineData("message", "a revoked JWT is on the deny-list")]
    [InlineData("ledger", "a revoked opaque token's row is marked")]
    public async Task A_revoked_subject_token_is_refused(string scope, string how)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope)).AccessToken;
        await Protocol.RevokeAsync(Service, ServiceSecret, token);

        var exchanged = await ExchangeAsync(token, ("audience", InternalAudience));

        Assert.True(exchanged.Error == "invalid_grant", how);
        Assert.Equal("subject_token is not an active access token", exchanged.ErrorDescription);
    }

    [Fact]
    public async Task A_forged_or_unknown_subject_token_is_refused()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var parts = token.Split('.');
        var payload = Jwt.Payload(token);
        payload["scope"] = "message message:write";
        var forged = Jwt.Rebuild(Jwt.Header(token), payload, parts[2]);

        Assert.Equal("invalid_grant", (await ExchangeAsync(forged, ("audience", InternalAudience))).Error);
        Assert.Equal("invalid_grant", (await ExchangeAsync("tsr_at_neverIssued0000000000000000000000000000", ("audience", InternalAudience))).Error);
        Assert.Equal("invalid_grant", (await ExchangeAsync("not a token", ("audience", InternalAudience))).Error);
    }

    [Fact]
    public async Task The_new_token_expires_with_the_subject_token_and_an_expired_subject_is_refused()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "short")).AccessToken;

        // A relay registered for "short": an exchange passes on only scopes the exchanging client may hold.
        var exchanged = await ExchangeAsAsync(RelayA, RelayASecret, token, ("audience", InternalAudience));
        Assert.Equal(200, exchanged.Status);
        Assert.InRange((long)exchanged.Json["expires_in"]!, 1, 2);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal("invalid_grant", (await ExchangeAsAsync(RelayA, RelayASecret, token, ("audience", InternalAudience))).Error);
    }

    [Theory]
    [InlineData(null, "invalid_request", "audience or resource is required: the API the new token is for")]
    [InlineData("https://nowhere.example", "invalid_target", "unknown audience 'https://nowhere.example'")]
    [InlineData("https://api.example/inventory", "invalid_target", "the client may not request tokens for 'https://api.example/inventory'")]
    public async Task The_target_must_be_one_api_the_client_may_have(string? audience, string error, string description)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var exchanged = audience is null ? await ExchangeAsync(token) : await ExchangeAsync(token, ("audience", audience));

        Assert.Equal(error, exchanged.Error);
        Assert.Equal(description, exchanged.ErrorDescription);
    }

    [Fact]
    public async Task Two_targets_or_the_admin_api_are_refused()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var two = await ExchangeAsync(token, ("audience", InternalAudience), ("resource", LedgerAudience));
        var admin = await ExchangeAsync(token, ("audience", Server.Issuer));

        Assert.Equal("invalid_target", two.Error);
        Assert.Equal("invalid_target", admin.Error);
        Assert.Equal("tokens for the admin API cannot be obtained by token exchange", admin.ErrorDescription);
    }

    [Theory]
    [InlineData("subject_token_type", null, "subject_token_type is required")]
    [InlineData("subject_token_type", "urn:ietf:params:oauth:token-type:refresh_token", "subject_token_type 'urn:ietf:params:oauth:token-type:refresh_token' is not supported")]
    [InlineData("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token", "requested_token_type 'urn:ietf:params:oauth:token-type:refresh_token' is not supported")]
    [InlineData("actor_token_type", AccessTokenType, "actor_token_type is not allowed without actor_token")]
    public async Task Malformed_requests_are_invalid_request(string name, string? value, string description)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var parameters = new List<(string, string)> { ("grant_type", GrantType), ("subject_token", token), ("audience", InternalAudience) };
        if (name != "subject_token_type") parameters.Add(("subject_token_type", AccessTokenType));
        if (value is not null) parameters.Add((name, value));

        var exchanged = await Protocol.TokenAsync(Gateway, GatewaySecret, [.. parameters]);

        Assert.Equal("invalid_request", exchanged.Error);
        Assert.Equal(description, exchanged.ErrorDescription);
    }

    [Fact]
    public async Task A_client_not_registered_for_token_exchange_is_refused()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var exchanged = await Protocol.TokenAsync(Service, ServiceSecret,
            ("grant_type", GrantType), ("subject_token", token), ("subject_token_type", AccessTokenType), ("audience", LedgerAudience));

        Assert.Equal("unauthorized_client", exchanged.Error);
    }

    [Fact]
    public async Task An_actor_token_is_recorded_as_act_and_earlier_actors_are_nested()
    {
        // The user's token reaches relay A, which exchanges it acting as itself; relay B does the same with A's result.
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid message");
        var actorA = (await Protocol.ClientCredentialsAsync(RelayA, RelayASecret, "internal")).AccessToken;
        var actorB = (await Protocol.ClientCredentialsAsync(RelayB, RelayBSecret, "internal")).AccessToken;

        var first = await ExchangeAsAsync(RelayA, RelayASecret, user.AccessToken, ("audience", InternalAudience), ("actor_token", actorA), ("actor_token_type", AccessTokenType));
        var second = await ExchangeAsAsync(RelayB, RelayBSecret, first.AccessToken, ("audience", InternalAudience), ("actor_token", actorB), ("actor_token_type", AccessTokenType));
        var carried = await ExchangeAsAsync(RelayB, RelayBSecret, first.AccessToken, ("audience", InternalAudience));

        Assert.Equal(200, first.Status);
        Assert.Equal(RelayA, (string?)Jwt.Payload(first.AccessToken)["act"]!["sub"]);
        var act = Jwt.Payload(second.AccessToken)["act"]!;
        Assert.Equal(RelayB, (string?)act["sub"]);
        Assert.Equal(RelayA, (string?)act["act"]!["sub"]);
        Assert.Equal(RelayA, (string?)Jwt.Payload(carried.AccessToken)["act"]!["sub"]);
    }

    [Fact]
    public async Task Another_clients_token_is_refused_as_actor_token()
    {
        // The attack: relay B received relay A's own token (A called B with it) and presents it as the actor, to mint
        // tokens saying "relay A acts for this user".
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid message");
        var actorA = (await Protocol.ClientCredentialsAsync(RelayA, RelayASecret, "internal")).AccessToken;

        var exchanged = await ExchangeAsAsync(RelayB, RelayBSecret, user.AccessToken, ("audience", InternalAudience), ("actor_token", actorA), ("actor_token_type", AccessTokenType));

        Assert.Equal("invalid_grant", exchanged.Error);
        Assert.Equal("actor_token was not issued to this client: the actor is the party making the request", exchanged.ErrorDescription);
    }

    [Fact]
    public async Task The_new_token_expires_no_later_than_the_actor_token()
    {
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid message");
        var shortActor = (await Protocol.ClientCredentialsAsync(RelayA, RelayASecret, "short")).AccessToken;

        var exchanged = await ExchangeAsAsync(RelayA, RelayASecret, user.AccessToken, ("audience", InternalAudience), ("actor_token", shortActor), ("actor_token_type", AccessTokenType));

        Assert.Equal(200, exchanged.Status);
        Assert.True((long)Jwt.Payload(exchanged.AccessToken)["exp"]! <= (long)Jwt.Payload(shortActor)["exp"]!);
    }

    [Fact]
    public async Task A_token_forged_with_an_apis_shared_secret_is_refused_as_subject_and_as_actor()
    {
        // The attack: whoever runs the HS256 "reports" API holds its secret, and writes a token naming any user and scope.
        var reset = await AdminApi.PostAsync(Protocol, "/admin/apis/reports/signing-secret", await AdminApi.TokenAsync(Protocol));
        var secret = (string)reset.Json["secret"]!;
        var user = await CodeFlow.WebTokensAsync(Server, Protocol, "openid message");
        var real = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "reports")).AccessToken;
        var payload = Jwt.Payload(real);
        payload["sub"] = (string?)Jwt.Payload(user.AccessToken)["sub"];
        payload["client_id"] = Gateway;
        payload["scope"] = "openid profile message:write";
        payload["jti"] = Guid.NewGuid().ToString("n");
        var forged = Jwt.SignWithSharedSecret(payload, secret, "api:reports");
        // The forgery is a well-formed token under the API's secret: introspection, which serves that API, calls it active.
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, forged)).Active);

        var asSubject = await ExchangeAsync(forged, ("audience", InternalAudience));
        var asActor = await ExchangeAsync(user.AccessToken, ("audience", InternalAudience), ("actor_token", forged), ("actor_token_type", AccessTokenType));
        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfoRequest.Headers.Authorization = new("Bearer", forged);
        var atUserInfo = await Protocol.SendAsync(userInfoRequest);

        Assert.Equal("invalid_grant", asSubject.Error);
        Assert.Equal("subject_token is signed with an API's shared secret, which only that API may rely on", asSubject.ErrorDescription);
        Assert.Equal("invalid_grant", asActor.Error);
        Assert.Equal(401, atUserInfo.Status);
        Assert.Contains("error=\"invalid_token\"", atUserInfo.Http.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_opaque_target_cannot_record_an_actor_nor_be_requested_as_a_jwt()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
        // The gateway's own token (issued to it by an earlier exchange): an actor it may present.
        var actor = (await ExchangeAsync(token, ("audience", InternalAudience))).AccessToken;

        var withActor = await ExchangeAsync(token, ("audience", LedgerAudience), ("actor_token", actor), ("actor_token_type", AccessTokenType));
        var asJwt = await ExchangeAsync(token, ("audience", LedgerAudience), ("requested_token_type", JwtType));
        var plain = await ExchangeAsync(token, ("audience", LedgerAudience));
        var internalJwt = await ExchangeAsync(token, ("audience", InternalAudience), ("requested_token_type", JwtType));

        Assert.Equal("invalid_target", withActor.Error);
        Assert.Equal("invalid_target", asJwt.Error);
        Assert.StartsWith("tsr_at_", plain.AccessToken);
        Assert.Equal(JwtType, (string?)internalJwt.Json["issued_token_type"]);
    }

    [Fact]
    public async Task An_id_token_is_accepted_only_from_the_client_it_was_issued_to()
    {
        using var browser = new Browser(Server);
        var gatewayIdToken = await GatewayIdTokenAsync(browser);
        var webIdToken = await CodeFlow.IdTokenAsync(browser, Protocol);

        var own = await ExchangeAsync(gatewayIdToken, IdTokenType, ("audience", InternalAudience));
        var foreign = await ExchangeAsync(webIdToken, IdTokenType, ("audience", InternalAudience));
        var asAccessToken = await ExchangeAsync(gatewayIdToken, ("audience", InternalAudience));

        Assert.Equal(200, own.Status);
        Assert.Equal((string?)Jwt.Payload(gatewayIdToken)["sub"], (string?)Jwt.Payload(own.AccessToken)["sub"]);
        Assert.Equal("internal", (string?)own.Json["scope"]);
        Assert.Equal("invalid_grant", foreign.Error);
        Assert.Equal("subject_token was issued to another client", foreign.ErrorDescription);
        Assert.Equal("invalid_grant", asAccessToken.Error);
    }

    [Fact]
    public async Task An_id_token_grants_only_the_api_scopes_the_user_consented_to_at_that_client()
    {
        // The attack: the client asks the user for a sign-in only ("openid"), then exchanges the ID token for an API
        // token with scopes the user never saw on the consent page.
        using var browser = new Browser(Server);
        var signInOnly = await SecondGatewayIdTokenAsync(browser, "openid");
        var refused = await ExchangeAsAsync(SecondGateway, SecondGatewaySecret, signInOnly, IdTokenType, ("audience", InternalAudience));

        var consented = await SecondGatewayIdTokenAsync(browser, "openid internal");
        var granted = await ExchangeAsAsync(SecondGateway, SecondGatewaySecret, consented, IdTokenType, ("audience", InternalAudience));

        Assert.Equal("invalid_scope", refused.Error);
        Assert.Equal($"the user has not granted this client any scope of '{InternalAudience}'", refused.ErrorDescription);
        Assert.Equal(200, granted.Status);
        Assert.Equal("internal", (string?)granted.Json["scope"]);
    }

    [Fact]
    public async Task Discovery_advertises_the_token_exchange_grant()
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();
        Assert.Contains(GrantType, json["grant_types_supported"]!.AsArray().Select(g => (string?)g));
    }

    private Task<ProtocolResponse> ExchangeAsync(string subjectToken, params (string Name, string Value)[] extra) =>
        ExchangeAsync(subjectToken, AccessTokenType, extra);

    private Task<ProtocolResponse> ExchangeAsync(string subjectToken, string subjectTokenType, params (string Name, string Value)[] extra) =>
        Protocol.TokenAsync(Gateway, GatewaySecret,
            [("grant_type", GrantType), ("subject_token", subjectToken), ("subject_token_type", subjectTokenType), .. extra]);

    private Task<ProtocolResponse> ExchangeAsAsync(string clientId, string secret, string subjectToken, params (string Name, string Value)[] extra) =>
        ExchangeAsAsync(clientId, secret, subjectToken, AccessTokenType, extra);

    private Task<ProtocolResponse> ExchangeAsAsync(string clientId, string secret, string subjectToken, string subjectTokenType, params (string Name, string Value)[] extra) =>
        Protocol.TokenAsync(clientId, secret,
            [("grant_type", GrantType), ("subject_token", subjectToken), ("subject_token_type", subjectTokenType), .. extra]);

    private async Task<string> SecondGatewayIdTokenAsync(Browser browser, string scope)
    {
        var (verifier, challenge) = CodeFlow.NewPkce();
        var callback = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser, CodeFlow.AuthorizeUrl(SecondGateway, SecondGatewayRedirect, scope, challenge)));
        var token = await Protocol.TokenAsync(SecondGateway, SecondGatewaySecret,
            ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", SecondGatewayRedirect), ("code_verifier", verifier));
        return (string?)token.Json["id_token"] ?? throw new InvalidOperationException($"no id_token in {token.Json.ToJsonString()}");
    }

    private async Task<string> GatewayIdTokenAsync(Browser browser)
    {
        var (verifier, challenge) = CodeFlow.NewPkce();
        var callback = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser, CodeFlow.AuthorizeUrl(Gateway, GatewayRedirect, "openid internal", challenge)));
        var token = await Protocol.TokenAsync(Gateway, GatewaySecret,
            ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", GatewayRedirect), ("code_verifier", verifier));
        return (string?)token.Json["id_token"] ?? throw new InvalidOperationException($"no id_token in {token.Json.ToJsonString()}");
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc8693TokenExchangeTests_Sqlite(SqlitePeopleFixture f) : Rfc8693TokenExchangeTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc8693TokenExchangeTests_Postgres(PostgresPeopleFixture f) : Rfc8693TokenExchangeTests(f.Server);
