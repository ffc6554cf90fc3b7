using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.Mcp.McpClientSteps;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>
/// The MCP SDK's own client drives MCP authorization (2025-11-25) against Tessera by itself — protected-resource and
/// authorization-server metadata, dynamic registration, code + PKCE + resource, and the step-up on 403
/// insufficient_scope — with Chromium as the user's browser behind its authorization callback. Its OAuth support speaks
/// Bearer only (it refuses any other token_type), so this is the Bearer flow: the sample accepts a token bound to no key.
/// </summary>
[Collection(McpCollection.Name)]
public sealed class McpSdkClientOAuthInChromiumTests(McpFixture fixture)
{
    [Fact]
    public async Task The_SDK_client_registers_signs_in_through_Chromium_and_steps_up_by_itself_when_write_note_answers_insufficient_scope()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var registered = false;
        var authorizations = new List<Dictionary<string, string>>();
        var options = new HttpClientTransportOptions
        {
            Endpoint = fixture.Endpoint,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = fixture.Callback.RedirectUri,
                DynamicClientRegistration = new()
                {
                    ClientName = "Notes agent (MCP SDK)",
                    ResponseDelegate = (_, _) => { registered = true; return Task.CompletedTask; },
                },
                // A least-privilege client: it registers for every scope the server offers (Tessera holds a registered
                // client to its registered scopes, so a step-up needs them there), asks the user only for reading at
                // first, and for the union of what it asked and what the 403 named afterwards (the SDK's step-up).
                ScopeSelector = scopes => registered && authorizations.Count == 0 ? scopes?.Where(s => s != "notes:write") : scopes,
                AuthorizationCallbackHandler = async (context, _) =>
                {
                    var request = QueryHelpers.ParseQuery(context.AuthorizationUri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
                    authorizations.Add(request);
                    Uri landed = null!;
                    await chromium.RunAsync(async page => landed = await AuthorizeInBrowserAsync(
                        page, context.AuthorizationUri.ToString(), McpFixture.Usernames[1], McpFixture.Password, fixture.Callback.RedirectUri));
                    var answer = OidcTestClient.Query(landed);
                    return new AuthorizationResult { Code = answer["code"], State = answer["state"], Iss = answer.GetValueOrDefault("iss") };
                },
            },
        };
        using var answers = new RecordedAnswersHandler();

        await using (var client = await ConnectAsync(options, new HttpClient(answers, disposeHandler: false)))
        {
            Assert.Single(authorizations);
            var tools = await client.ListToolsAsync();
            Assert.Equal(["read_notes", "write_note"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
            Assert.Equal("[]", await CallAsync(client, "read_notes"));
            // The SDK meets 403 insufficient_scope, authorizes again in Chromium and retries the call: no error reaches here.
            Assert.Equal("saved", await CallAsync(client, "write_note", new Dictionary<string, object?> { ["text"] = "bread" }));
            Assert.Equal("[\"bread\"]", await CallAsync(client, "read_notes"));
        }

        Assert.Equal(2, authorizations.Count);
        foreach (var request in authorizations)
        {
            // RFC 8707: every authorization names this MCP server; PKCE with S256 (MCP Authorization §"Authorization Code Protection").
            Assert.Equal(fixture.Endpoint.ToString(), request["resource"]);
            Assert.Equal("S256", request["code_challenge_method"]);
        }
        Assert.DoesNotContain("notes:write", authorizations[0]["scope"].Split(' '));
        Assert.Contains("notes:read", authorizations[0]["scope"].Split(' '));
        Assert.Contains("notes:write", authorizations[1]["scope"].Split(' '));
        Assert.Contains("notes:read", authorizations[1]["scope"].Split(' '));

        var recorded = answers.Answers;
        Assert.Equal(HttpStatusCode.Unauthorized, recorded[0].Status);
        Assert.NotNull(Parameter(recorded[0].Challenge, "resource_metadata"));
        var forbidden = Assert.Single(recorded, answer => answer.Status == HttpStatusCode.Forbidden);
        Assert.Equal("insufficient_scope", Parameter(forbidden.Challenge, "error"));
        Assert.Equal("notes:write", Parameter(forbidden.Challenge, "scope"));
        // MCP 2025-11-25's step-up example: the 403 names the metadata as the 401 did.
        Assert.Equal(Parameter(recorded[0].Challenge, "resource_metadata"), Parameter(forbidden.Challenge, "resource_metadata"));
        Assert.Empty(chromium.ConsoleErrors);
    }
}
