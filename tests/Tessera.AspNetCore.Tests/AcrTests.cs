using System.Net;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// RequireAcr reads the <c>acr</c> Tessera writes into a user's token from the sign-in behind it (RFC 9068 §2.2.1):
/// from a JWT and from an introspection answer alike. A sign-in without a second factor gets RFC 9470's 401
/// <c>insufficient_user_authentication</c> naming the acr that would do; a forged acr never gets past the signature.
/// </summary>
public sealed class AcrTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>
{
    private Task<string> UserTokenAsync(string audience, string scope, string amr) =>
        UserAccessTokens.IssueAsync(issuer.Server, "user-1", IssuerFixture.Service, audience, scope, "{}", amr);

    [Fact]
    public async Task A_jwt_from_a_sign_in_with_a_second_factor_passes_and_a_password_sign_in_is_asked_to_step_up()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience);

        var twoFactor = await api.GetAsync("/messages/transfer", await UserTokenAsync(IssuerFixture.MessagesAudience, "message", "pwd otp mfa"));
        var password = await api.GetAsync("/messages/transfer", await UserTokenAsync(IssuerFixture.MessagesAudience, "message", "pwd"));
        var service = await api.GetAsync("/messages/transfer", await issuer.TokenAsync("message"));

        Assert.Equal(HttpStatusCode.OK, twoFactor.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, password.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_user_authentication\", error_description=\"a stronger sign-in is required\", acr_values=\"urn:tessera:acr:mfa\"",
            password.Headers.WwwAuthenticate.ToString());
        // A client's own token has no sign-in behind it.
        Assert.Equal(HttpStatusCode.Unauthorized, service.StatusCode);
    }

    [Fact]
    public async Task An_introspected_token_is_judged_by_the_acr_of_the_answer()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, o =>
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
        });

        var twoFactor = await api.GetAsync("/ledger/transfer", await UserTokenAsync(IssuerFixture.LedgerAudience, "ledger", "pwd otp mfa"));
        var password = await api.GetAsync("/ledger/transfer", await UserTokenAsync(IssuerFixture.LedgerAudience, "ledger", "pwd"));

        Assert.Equal(HttpStatusCode.OK, twoFactor.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, password.StatusCode);
        Assert.Contains("insufficient_user_authentication", password.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_jwt_claiming_a_second_factor_is_refused_before_its_acr_is_read()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience);
        var real = await UserTokenAsync(IssuerFixture.MessagesAudience, "message", "pwd");
        var claims = ForgedTokens.Claims(issuer.Server.Issuer, IssuerFixture.MessagesAudience, "message");
        claims["acr"] = "urn:tessera:acr:mfa";

        var forged = await api.GetAsync("/messages/transfer", ForgedTokens.SignedByAttacker(claims, ForgedTokens.KeyIdOf(real)));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("invalid_token", forged.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
