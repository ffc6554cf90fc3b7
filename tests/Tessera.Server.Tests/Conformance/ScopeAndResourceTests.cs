using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>Which API a token is for: <c>scope</c> (RFC 6749 §3.3) and <c>resource</c> (RFC 8707).</summary>
public abstract class ScopeAndResourceTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task The_resource_parameter_selects_the_api_and_its_allowed_scopes()
    {
        var response = await Protocol.ClientCredentialsAsync(Other, OtherSecret, resource: MessagesAudience);

        Assert.Equal(200, response.Status);
        Assert.Equal("message", (string?)response.Json["scope"]);
        Assert.Equal(MessagesAudience, (string?)Jwt.Payload(response.AccessToken)["aud"]);
    }

    [Fact]
    public async Task Without_resource_the_api_is_inferred_from_the_scopes()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger");
        Assert.Equal(200, response.Status);
        Assert.StartsWith("tsr_at_", response.AccessToken);
    }

    [Fact]
    public async Task Scopes_of_two_apis_with_different_formats_are_refused_even_to_a_multi_audience_client()
    {
        var response = await Protocol.ClientCredentialsAsync(MultiAudience, MultiAudienceSecret, "message ledger");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_target", response.Error);
        Assert.Contains("different access-token formats", response.ErrorDescription);
    }

    [Fact]
    public async Task Tesseras_own_scopes_never_share_a_token_with_another_api_even_for_a_multi_audience_client()
    {
        var response = await Protocol.ClientCredentialsAsync(MultiAudience, MultiAudienceSecret, "message tessera:admin");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_target", response.Error);
    }

    [Fact]
    public async Task Scopes_of_two_compatible_apis_give_one_token_with_both_audiences_only_to_a_multi_audience_client()
    {
        var response = await Protocol.ClientCredentialsAsync(MultiAudience, MultiAudienceSecret, "message inventory");

        Assert.Equal(200, response.Status);
        var aud = Jwt.Payload(response.AccessToken)["aud"]!.AsArray().Select(a => (string)a!).ToArray();
        Assert.Equal(["https://api.example/inventory", MessagesAudience], aud.Order().ToArray());
        Assert.Equal(900, (int?)response.Json["expires_in"]); // the shorter lifetime of the two
    }

    [Fact]
    public async Task An_unknown_scope_is_invalid_scope()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message nonsense");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task A_scope_the_client_is_not_registered_for_is_invalid_scope()
    {
        var response = await Protocol.ClientCredentialsAsync(Other, OtherSecret, "message:write");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task An_identity_scope_cannot_be_granted_to_a_client_alone()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "openid message");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task A_scope_with_a_forbidden_character_is_invalid_scope()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "mess\"age");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task Without_scope_a_client_of_several_apis_must_say_which()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Theory]
    [InlineData("https://api.example/unknown", "an unregistered resource")]
    [InlineData("/relative", "a relative URI (RFC 8707 §2)")]
    [InlineData("https://api.example/messages#frag", "a URI with a fragment (RFC 8707 §2)")]
    public async Task A_bad_resource_is_invalid_target(string resource, string reason)
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, resource: resource);
        Assert.True(response.Error == "invalid_target", reason);
        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task A_resource_the_client_has_no_scope_for_is_invalid_target()
    {
        var response = await Protocol.ClientCredentialsAsync(Other, OtherSecret, resource: EcAudience);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_target", response.Error);
    }

    [Fact]
    public async Task A_scope_outside_the_named_resource_is_invalid_scope()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger", MessagesAudience);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ScopeAndResourceTests_Sqlite(SqliteServerFixture f) : ScopeAndResourceTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class ScopeAndResourceTests_Postgres(PostgresServerFixture f) : ScopeAndResourceTests(f.Server);
