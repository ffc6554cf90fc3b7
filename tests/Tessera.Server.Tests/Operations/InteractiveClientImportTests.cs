using System.Text.Json.Nodes;
using Tessera.Server.Import;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>The import fields of interactive clients: redirect URIs, public clients, consent.</summary>
public abstract class InteractiveClientImportTests(DatabaseKind kind)
{
    [Theory]
    [InlineData("/callback", "a relative URI is not a redirect URI")]
    [InlineData("https://app.example/callback#done", "RFC 6749 §3.1.2: no fragment")]
    [InlineData("http://app.example/callback", "plain http only on a loopback host")]
    [InlineData("ftp://app.example/callback", "only https or loopback http")]
    [InlineData("https://app.example/call back", "no spaces: the list is stored space-delimited")]
    public async Task A_redirect_uri_that_is_not_acceptable_is_reported_by_its_path(string uri, string reason)
    {
        var import = PeopleImport.Create();
        Client(import, PeopleImport.Web)["redirectUris"]!.AsArray().Add(uri);
        Client(import, PeopleImport.Web)["postLogoutRedirectUris"]!.AsArray().Add(uri);

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        var at = $"$.clients[{Index(import, PeopleImport.Web)}]";
        Assert.True(e.Problems.Any(p => p.StartsWith($"{at}.redirectUris[1] ", StringComparison.Ordinal)), reason);
        Assert.True(e.Problems.Any(p => p.StartsWith($"{at}.postLogoutRedirectUris[1] ", StringComparison.Ordinal)), reason);
    }

    [Fact]
    public async Task A_public_client_may_have_neither_a_secret_nor_the_client_credentials_grant()
    {
        var import = PeopleImport.Create();
        var spa = Client(import, PeopleImport.Spa);
        spa["clientSecret"] = "spa-secret-0123456789-abcdefghijk";
        var added = spa["grantTypes"]!.AsArray().Count;
        spa["grantTypes"]!.AsArray().Add("client_credentials");

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        var at = $"$.clients[{Index(import, PeopleImport.Spa)}]";
        Assert.Contains(e.Problems, p => p.StartsWith($"{at}.clientSecret ", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith($"{at}.grantTypes[{added}] ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_public_client_may_not_exchange_tokens()
    {
        var import = PeopleImport.Create();
        var spa = Client(import, PeopleImport.Spa);
        var added = spa["grantTypes"]!.AsArray().Count;
        spa["grantTypes"]!.AsArray().Add("urn:ietf:params:oauth:grant-type:token-exchange");

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains($"$.clients[{Index(import, PeopleImport.Spa)}].grantTypes[{added}] 'urn:ietf:params:oauth:grant-type:token-exchange' is not allowed for a public client", e.Problems);
    }

    [Fact]
    public async Task An_authorization_code_client_must_register_a_redirect_uri()
    {
        var import = PeopleImport.Create();
        Client(import, PeopleImport.Web).Remove("redirectUris");

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains(e.Problems, p => p.StartsWith($"$.clients[{Index(import, PeopleImport.Web)}].redirectUris ", StringComparison.Ordinal));
    }

    private static JsonObject Client(JsonObject import, string clientId) =>
        import["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == clientId)!.AsObject();

    private static int Index(JsonObject import, string clientId) =>
        import["clients"]!.AsArray().Select((c, i) => (Id: (string?)c!["clientId"], i)).Single(x => x.Id == clientId).i;
}

public sealed class InteractiveClientImportTests_Sqlite() : InteractiveClientImportTests(DatabaseKind.Sqlite);

public sealed class InteractiveClientImportTests_Postgres() : InteractiveClientImportTests(DatabaseKind.Postgres);
