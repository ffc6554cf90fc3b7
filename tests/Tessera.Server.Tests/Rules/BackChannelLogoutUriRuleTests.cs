using Tessera.Server.Import;

namespace Tessera.Server.Tests.Rules;

/// <summary>OIDC Back-Channel Logout 1.0 §2.2 on a registered back-channel logout URI, one row per branch.</summary>
public sealed class BackChannelLogoutUriRuleTests
{
    public static TheoryData<string?, bool, bool?, string?> Rows => new()
    {
        { "https://app.example/logout", false, null, null },
        { "https://app.example/logout?tenant=1", true, true, null },
        { "http://127.0.0.1:9000/logout", false, null, null },   // http: allowed for a confidential client (§2.2)
        { "http://app.example/logout", true, null, "'http://app.example/logout' must use https for a public client (OIDC Back-Channel Logout §2.2)" },
        { "https://app.example/logout#x", false, null, "'https://app.example/logout#x' must not have a fragment (OIDC Back-Channel Logout §2.2)" },
        { "/logout", false, null, "'/logout' must be an absolute https URL" },
        { "ftp://app.example/logout", false, null, "'ftp://app.example/logout' must be an absolute https URL" },
        { null, false, true, "backchannelLogoutSessionRequired needs a backchannelLogoutUri" },
        { null, false, null, null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_back_channel_logout_uri_is_absolute_without_a_fragment_and_https_for_a_public_client(
        string? uri, bool isPublic, bool? sessionRequired, string? problem)
    {
        var problems = new List<string>();

        BackChannelLogoutUriRule.Validate(new ImportedClient
        {
            ClientId = "app", BackchannelLogoutUri = uri, Public = isPublic, BackchannelLogoutSessionRequired = sessionRequired,
        }, "$.clients[0]", problems);

        if (problem is null) Assert.Empty(problems);
        else Assert.Equal([uri is null ? $"$.clients[0].{problem}" : $"$.clients[0].backchannelLogoutUri {problem}"], problems);
    }
}
