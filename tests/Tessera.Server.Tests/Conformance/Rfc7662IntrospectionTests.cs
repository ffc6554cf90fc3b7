using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

public abstract class Rfc7662IntrospectionTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("message", MessagesAudience)]
    [InlineData("ledger", LedgerAudience)]
    public async Task An_active_token_reports_every_member(string scope, string audience)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope)).AccessToken;

        var response = await Protocol.IntrospectAsync(Other, OtherSecret, token);

        Assert.Equal(200, response.Status);
        Assert.True(response.Active);
        Assert.Equal(scope, (string?)response.Json["scope"]);
        Assert.Equal(Service, (string?)response.Json["client_id"]);
        Assert.Equal(Service, (string?)response.Json["sub"]);
        Assert.Equal(audience, (string?)response.Json["aud"]);
        Assert.Equal(Server.Issuer, (string?)response.Json["iss"]);
        Assert.Equal("Bearer", (string?)response.Json["token_type"]);
        Assert.False(string.IsNullOrEmpty((string?)response.Json["jti"]));
        Assert.True((long)response.Json["exp"]! > (long)response.Json["iat"]!);
        Assert.Equal("no-store", response.Http.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Introspection_requires_client_authentication()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var anonymous = await Protocol.PostAsync("/connect/introspect", null, ("token", token));
        var wrong = await Protocol.IntrospectAsync(Other, "wrong-secret-0123456789", token);

        Assert.Equal(401, anonymous.Status);
        Assert.Equal("invalid_client", anonymous.Error);
        Assert.Equal(401, wrong.Status);
        Assert.False(wrong.Json.ContainsKey("active"));
    }

    [Fact]
    public async Task A_missing_token_parameter_is_invalid_request()
    {
        var response = await Protocol.PostAsync("/connect/introspect", ProtocolClient.Basic(Other, OtherSecret), ("token_type_hint", "access_token"));
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Theory]
    [InlineData("tsr_at_thisHandleWasNeverIssued0000000000000000", "an unknown opaque handle")]
    [InlineData("not a token at all", "garbage")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "a malformed JWT")]
    public async Task An_unknown_or_malformed_token_is_only_inactive(string token, string reason)
    {
        var response = await Protocol.IntrospectAsync(Other, OtherSecret, token);
        Assert.Equal(200, response.Status);
        Assert.False(response.Active, reason);
        Assert.Single(response.Json); // RFC 7662 §2.2: nothing but "active": false
    }

    [Theory]
    [InlineData("short")]
    [InlineData("short-opaque")]
    public async Task An_expired_token_is_inactive(string scope)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope)).AccessToken;
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);

        await Task.Delay(TimeSpan.FromSeconds(3.2));

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class Rfc7662IntrospectionTests_Sqlite(SqliteServerFixture f) : Rfc7662IntrospectionTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class Rfc7662IntrospectionTests_Postgres(PostgresServerFixture f) : Rfc7662IntrospectionTests(f.Server);

[Collection(PgBouncerCollection.Name)]
public sealed class Rfc7662IntrospectionTests_PgBouncer(PgBouncerServerFixture f) : Rfc7662IntrospectionTests(f.Server);
