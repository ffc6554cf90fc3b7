using System.Text.Json;
using Tessera.Server.Import;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tests.Infrastructure;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// RFC 7591 §2 logo_uri and client_uri (the import's logoUri and clientUri): the consent page loads the logo and links
/// the home page, so only a plain absolute https URL is registered. Each value here is an attack on that page.
/// </summary>
public sealed class ClientDisplayUriRuleTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, string> Refused => new()
    {
        { "http://app.example/logo.png", "must be an absolute https URL (RFC 7591 §2)" },
        { "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", "must be an absolute https URL (RFC 7591 §2)" },
        { "javascript:alert(1)", "must be an absolute https URL (RFC 7591 §2)" },
        { "/logo.png", "must be an absolute https URL (RFC 7591 §2)" },
        { "https://user:secret@app.example/logo.png", "must not carry a user name or password" },
        { "https://trusted.example@evil.example/logo.png", "must not carry a user name or password" },
        { "https://app.example/logo.png#x", "must not have a fragment" },
        { "https://app.example/logo.png; script-src *", "must not contain spaces or non-ASCII characters" },
        { "https://app.example/" + new string('a', 1990), "must have at most 2000 characters" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void The_import_refuses_a_logo_or_home_page_that_is_not_a_plain_https_url(string uri, string problem)
    {
        var import = PeopleImport.Create();
        var web = import["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == PeopleImport.Web)!;
        var at = $"$.clients[{import["clients"]!.AsArray().IndexOf(web)}]";
        web["logoUri"] = uri;
        web["clientUri"] = uri;

        var problems = ImportValidator.Validate(JsonSerializer.Deserialize<ImportDocument>(import.ToJsonString(), Web)!, "http://127.0.0.1:1");

        Assert.Contains($"{at}.logoUri {problem}", problems);
        Assert.Contains($"{at}.clientUri {problem}", problems);
    }

    [Theory]
    [InlineData("https://app.example/logo.png")]
    [InlineData("https://cdn.app.example:8443/brand/logo.svg?v=2")]
    [InlineData("https://app.example/" + "a")]
    public void A_plain_https_url_is_accepted(string uri) => Assert.Null(ClientDisplayUris.ProblemWithRegistration(uri));

    [Fact]
    public void At_most_2000_characters_is_the_columns_limit() =>
        Assert.Null(ClientDisplayUris.ProblemWithRegistration("https://app.example/" + new string('a', 2000 - "https://app.example/".Length)));
}
