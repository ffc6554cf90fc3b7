using System.Net;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// RequireRole reads the <c>roles</c> claim Tessera puts into a user's token when the API asks for it: from a JWT
/// validated locally and from an introspection answer alike. A caller without the role gets 403; a token signed by
/// anyone but the issuer never gets as far as its roles.
/// </summary>
public sealed class RoleTests(IssuerFixture issuer) : IClassFixture<IssuerFixture>
{
    private Task<string> UserTokenAsync(string audience, string scope, string roles) =>
        UserAccessTokens.IssueAsync(issuer.Server, "user-1", IssuerFixture.Service, audience, scope, $$"""{"roles":[{{roles}}]}""");

    [Fact]
    public async Task A_jwt_whose_roles_include_the_required_one_passes_and_others_get_403()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience);

        var editor = await api.GetAsync("/messages/edit", await UserTokenAsync(IssuerFixture.MessagesAudience, "message", "\"reader\", \"editor\""));
        var reader = await api.GetAsync("/messages/edit", await UserTokenAsync(IssuerFixture.MessagesAudience, "message", "\"reader\""));
        var service = await api.GetAsync("/messages/edit", await issuer.TokenAsync("message"));

        Assert.Equal(HttpStatusCode.OK, editor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        // A client's own token has no user and no roles.
        Assert.Equal(HttpStatusCode.Forbidden, service.StatusCode);
    }

    [Fact]
    public async Task An_introspected_token_is_judged_by_the_roles_of_the_answer()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.LedgerAudience, o =>
        {
            o.ClientId = IssuerFixture.ApiClient;
            o.ClientSecret = IssuerFixture.ApiSecret;
        });

        var owner = await api.GetAsync("/ledger/audit", await UserTokenAsync(IssuerFixture.LedgerAudience, "ledger", "\"owner\""));
        var clerk = await api.GetAsync("/ledger/audit", await UserTokenAsync(IssuerFixture.LedgerAudience, "ledger", "\"clerk\""));

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, clerk.StatusCode);
    }

    [Fact]
    public async Task A_forged_jwt_claiming_the_role_is_refused_before_its_roles_are_read()
    {
        await using var api = await ResourceApi.StartAsync(issuer.Server.Issuer, IssuerFixture.MessagesAudience);
        var real = await UserTokenAsync(IssuerFixture.MessagesAudience, "message", "\"reader\"");
        var claims = ForgedTokens.Claims(issuer.Server.Issuer, IssuerFixture.MessagesAudience, "message");
        claims["roles"] = new[] { "editor" };

        var forged = await api.GetAsync("/messages/edit", ForgedTokens.SignedByAttacker(claims, ForgedTokens.KeyIdOf(real)));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }
}
