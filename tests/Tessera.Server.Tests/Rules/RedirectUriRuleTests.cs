using System.Collections.Frozen;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// Every rule of <see cref="RedirectUris"/>, one row each with its reason: what may be registered, and which request
/// values match a registration (exact, or a public client's loopback IP on another port). The browser and conformance
/// suites drive the same rules through the authorization endpoint; these rows pin each branch.
/// </summary>
public sealed class RedirectUriRuleTests
{
    public static TheoryData<string?, string?, string> Registrations => new()
    {
        { "https://app.example/cb", null, "RFC 9700 §2.1: https" },
        { "http://127.0.0.1/cb", null, "RFC 8252 §7.3: http on a loopback IP" },
        { "http://localhost:3000/cb", null, "a loopback host name may be registered (matched exactly)" },
        { null, "must be an absolute URI (RFC 6749 §3.1.2)", "nothing is not a URI" },
        { "/cb", "must be an absolute URI (RFC 6749 §3.1.2)", "RFC 6749 §3.1.2: relative" },
        { "//app.example/cb", "must be an absolute URI (RFC 6749 §3.1.2)", "a network-path reference is relative" },
        { "https://app.example/cb#x", "must not have a fragment (RFC 6749 §3.1.2)", "RFC 6749 §3.1.2: no fragment" },
        { "https://app.example/c b", "must not contain spaces or non-ASCII characters", "a space" },
        { "https://app.example/c\u00e9", "must not contain spaces or non-ASCII characters", "non-ASCII" },
        { "http://app.example/cb", "must use https, or http on a loopback host (RFC 9700 §2.1)", "RFC 9700 §2.1: http off loopback" },
        { "javascript:alert(1)", "must be an absolute URI (RFC 6749 §3.1.2)", "a script URI has no authority" },
    };

    [Theory]
    [MemberData(nameof(Registrations))]
    public void A_registration_is_checked(string? value, string? problem, string reason) =>
        Assert.True(problem == RedirectUris.ProblemWithRegistration(value), $"{reason}: expected '{problem}', got '{RedirectUris.ProblemWithRegistration(value)}'");

    private static RegisteredClient Client(bool isPublic, params string[] redirects) =>
        new("app", null, [], FrozenSet<string>.Empty, FrozenSet<string>.Empty)
        {
            IsPublic = isPublic,
            RedirectUris = redirects.ToFrozenSet(StringComparer.Ordinal),
        };

    public static TheoryData<bool, string, string, bool, string> Requests => new()
    {
        { false, "https://app.example/cb", "https://app.example/cb", true, "RFC 6749 §3.1.2.3: exact match" },
        { false, "https://app.example/cb", "https://app.example/cb/", false, "RFC 9700 §4.1.3: no prefix matching" },
        { false, "https://app.example/cb", "https://APP.example/cb", false, "RFC 9700 §4.1.3: no normalisation" },
        { false, "https://app.example/cb", "https://app.example/cb?x=1", false, "an added query is another URI" },
        { false, "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/cb", false, "a confidential client gets no port freedom" },
        { true, "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/cb", true, "RFC 8252 §7.3: any port on a public client's loopback IP" },
        { true, "http://127.0.0.1/cb", "http://127.0.0.1:51000/cb", true, "RFC 8252 §7.3: a port where none was registered" },
        { true, "http://[::1]:8000/cb", "http://[::1]:9000/cb", true, "RFC 8252 §7.3: the IPv6 loopback" },
        { true, "http://localhost:8000/cb", "http://localhost:9000/cb", false, "RFC 8252 §8.3: not the name localhost" },
        { true, "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/other", false, "the path stays as registered" },
        { true, "http://127.0.0.1:8000/cb?a=1", "http://127.0.0.1:9000/cb?a=2", false, "the query stays as registered" },
        { true, "http://127.0.0.1:8000/cb", "http://127.0.0.2:9000/cb", false, "another loopback address is another host" },
        { true, "http://127.0.0.1:8000/cb", "https://127.0.0.1:9000/cb", false, "the scheme stays http" },
        { true, "http://127.0.0.1:8000/cb", "http://evil@127.0.0.1:9000/cb", false, "no user information" },
        { true, "http://127.0.0.1:8000/cb", "http://127.0.0.1:9000/cb#x", false, "no fragment" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_request_matches_a_registration(bool isPublic, string registered, string requested, bool matches, string reason) =>
        Assert.True(matches == RedirectUris.IsRegistered(requested, Client(isPublic, registered)), reason);
}
