using System.Net;
using System.Text.Json.Nodes;
using Tessera.AspNetCore.Tests.Infrastructure;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// RFC 9728: an API publishes where its tokens come from (<c>MapTesseraProtectedResourceMetadata</c>), and its 401
/// challenges and 403 insufficient_scope point there (§5.1), so a client that knows only the API's URL finds the
/// authorization server. Without the mapping, the challenges stay RFC 6750's bare ones (Rfc6750ChallengeTests).
/// </summary>
public sealed class Rfc9728ProtectedResourceMetadataTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>, IAsyncLifetime
{
    private ResourceApi _api = null!;

    public async Task InitializeAsync() => _api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience, o =>
    {
        o.ProtectedResource.ResourceName = "Messages";
        o.ProtectedResource.ScopesSupported.Add("message");
        o.ProtectedResource.ScopesSupported.Add("message:write");
    }, publishMetadata: true);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private string MetadataUrl => new Uri(_api.Client.BaseAddress!, "/.well-known/oauth-protected-resource/messages").ToString();

    [Fact]
    public async Task The_document_sits_under_the_resources_path_and_names_the_authorization_server()
    {
        // RFC 9728 §3.1: https://api.example/messages → /.well-known/oauth-protected-resource/messages.
        var response = await _api.Client.GetAsync("/.well-known/oauth-protected-resource/messages");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(IssuerFixture.MessagesAudience, (string?)document["resource"]);
        Assert.Equal([issuer.Server.Issuer], document["authorization_servers"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["header"], document["bearer_methods_supported"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["message", "message:write"], document["scopes_supported"]!.AsArray().Select(s => (string?)s));
        Assert.Equal("Messages", (string?)document["resource_name"]);
    }

    [Fact]
    public async Task The_document_is_not_served_at_the_root_for_a_resource_with_a_path() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.GetAsync("/.well-known/oauth-protected-resource")).StatusCode);

    [Fact]
    public async Task A_request_without_a_token_is_told_where_the_metadata_is()
    {
        var response = await _api.GetAsync("/messages", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{MetadataUrl}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_forged_token_gets_invalid_token_and_the_metadata()
    {
        var response = await _api.GetAsync("/messages", "not.a.jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"the token is malformed or invalid\", resource_metadata=\"{MetadataUrl}\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_valid_token_without_the_scope_gets_403_insufficient_scope_with_the_metadata()
    {
        var response = await _api.GetAsync("/messages/write", await issuer.TokenAsync("message"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        // A client stepping up (MCP 2025-11-25) finds the authorization server from the 403 as from a 401.
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"message:write\", resource_metadata=\"{MetadataUrl}\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("https://api.example", "/.well-known/oauth-protected-resource")]
    [InlineData("https://api.example/", "/.well-known/oauth-protected-resource")]
    [InlineData("https://api.example/notes/v1", "/.well-known/oauth-protected-resource/notes/v1")]
    [InlineData("notes", "/.well-known/oauth-protected-resource")]
    public void The_well_known_path_follows_the_resource_identifier(string resource, string path) =>
        Assert.Equal(path, ProtectedResourceMetadataEndpoint.PathFor(resource));
}
