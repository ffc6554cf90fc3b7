using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tests.Infrastructure;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// Every rule of <see cref="Pkce"/>, one row each with its reason (the end-to-end suites drive the same rules through
/// the authorization and token endpoints; these rows pin each branch, downgrade and malformed verifier included).
/// </summary>
public sealed class PkceRuleTests
{
    private static readonly (string Verifier, string Challenge) Pair = CodeFlow.NewPkce();

    public static TheoryData<string?, string?, bool, string?, string> Challenges => new()
    {
        { Pair.Challenge, "S256", true, null, "RFC 7636 §4.2: a base64url SHA-256 with S256" },
        { null, null, false, null, "an opted-out confidential client may send nothing" },
        { null, null, true, "code_challenge is required: this client must use PKCE (RFC 9700 §2.1.1)", "RFC 9700 §2.1.1: required by default" },
        { null, "S256", false, "code_challenge_method without code_challenge", "a method alone is a malformed request" },
        { Pair.Challenge, "plain", true, "code_challenge_method must be S256; plain is not supported", "RFC 9700 §2.1.1: plain is refused" },
        { Pair.Challenge, null, true, "code_challenge_method must be S256; plain is not supported", "RFC 7636 §4.3: no method means plain" },
        { Pair.Challenge[..42], "S256", true, "code_challenge must be a base64url SHA-256 (43 characters)", "RFC 7636 §4.2: 43 characters" },
        { Pair.Challenge[..42] + "=", "S256", true, "code_challenge must be a base64url SHA-256 (43 characters)", "padding is not base64url" },
    };

    [Theory]
    [MemberData(nameof(Challenges))]
    public void The_authorization_endpoint_checks_the_challenge(string? challenge, string? method, bool required, string? error, string reason)
    {
        var result = Pkce.CheckChallenge(challenge, method, required);

        Assert.True(error == result.Error?.Description, $"{reason}: expected '{error}', got '{result.Error?.Description}'");
        if (result.Failed) Assert.Equal("invalid_request", result.Error.Error);
    }

    public static TheoryData<string?, string?, bool, string?, string> Verifiers => new()
    {
        { Pair.Verifier, Pair.Challenge, true, null, "RFC 7636 §4.6: the verifier hashes to the challenge" },
        { null, null, false, null, "a code issued without a challenge to an opted-out client needs no verifier" },
        { Pair.Verifier, null, false, "code_verifier sent, but the authorization request had no code_challenge", "RFC 9700 §2.1.1: a downgrade attempt" },
        { null, null, true, "the authorization request had no code_challenge, which this client requires", "the opt-out was withdrawn after the code was issued" },
        { null, Pair.Challenge, true, "code_verifier is required", "RFC 7636 §4.5: a challenged code needs its verifier" },
        { Pair.Verifier[..42], Pair.Challenge, true, "code_verifier is malformed (RFC 7636 §4.1)", "RFC 7636 §4.1: at least 43 characters" },
        { new string('a', 129), Pair.Challenge, true, "code_verifier is malformed (RFC 7636 §4.1)", "RFC 7636 §4.1: at most 128 characters" },
        { Pair.Verifier[..42] + "+", Pair.Challenge, true, "code_verifier is malformed (RFC 7636 §4.1)", "RFC 7636 §4.1: unreserved characters only" },
        { CodeFlow.NewPkce().Verifier, Pair.Challenge, true, "code_verifier does not match the code_challenge", "RFC 7636 §4.6: another verifier" },
    };

    [Theory]
    [MemberData(nameof(Verifiers))]
    public void The_token_endpoint_checks_the_verifier(string? verifier, string? challenge, bool required, string? error, string reason)
    {
        var result = Pkce.CheckVerifier(verifier, challenge, required);

        Assert.True(error == result.Error?.Description, $"{reason}: expected '{error}', got '{result.Error?.Description}'");
        if (result.Failed) Assert.Equal("invalid_grant", result.Error.Error);
    }
}
