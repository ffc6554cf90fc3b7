using System.Collections.Frozen;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Endpoints;
using Tessera.Server.Protocol.Rules;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// The rule of <see cref="NativeClientInteraction"/>, one row each with its reason (RFC 8252 §8.6): when a request must
/// show the user the consent page even though an earlier consent covers it.
/// </summary>
public sealed class NativeClientInteractionRuleTests
{
    public static TheoryData<bool, string, string, bool, string> Requests => new()
    {
        { true, "http://127.0.0.1:51000/cb", "openid", true, "RFC 8252 §7.3: any app can listen on a loopback port" },
        { true, "com.example.app:/cb", "openid", true, "RFC 8252 §7.1: any app can claim a custom scheme" },
        { true, "https://app.example/cb", "openid", false, "RFC 8252 §7.2: an https redirect belongs to its domain's owner" },
        { true, "HTTPS://app.example/cb", "openid", false, "the scheme is case-insensitive (RFC 3986 §3.1)" },
        { true, "https://app.example/cb", "openid tessera:pats", true, "a key to mint long-lived tokens is never given silently" },
        { false, "http://127.0.0.1:51000/cb", "openid tessera:pats", false, "a confidential client proved who it is" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_public_client_request_needs_the_user(bool isPublic, string redirectUri, string scopes, bool required, string reason)
    {
        var client = new RegisteredClient("app", null, [], FrozenSet<string>.Empty, FrozenSet<string>.Empty) { IsPublic = isPublic };
        var request = new AuthorizationRequest(client, redirectUri, State: null, scopes.Split(' '), Nonce: null,
            FrozenSet<string>.Empty, MaxAge: null, LoginHint: null, CodeChallenge: null);

        Assert.True(required == NativeClientInteraction.IsRequired(request), reason);
    }
}
