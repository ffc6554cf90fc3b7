using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Configuration;
using Tessera.Server.ExternalIdentities;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Sign-in with Microsoft's common endpoint: an ID token's issuer must be the tenant template filled with its own tid,
/// and the tenant one the operator allows. Unit level: a stand-in for Microsoft's common endpoint would need the
/// handler's authority to be login.microsoftonline.com, so the issuer validator the server configures is called directly,
/// with Microsoft's metadata (the issuer template) served from memory instead of the network.
/// </summary>
public sealed class MicrosoftTenantIssuerTests
{
    private const string Template = "https://login.microsoftonline.com/{tenantid}/v2.0";
    private const string TenantA = "11111111-1111-1111-1111-111111111111";
    private const string TenantB = "22222222-2222-2222-2222-222222222222";

    [Fact]
    public void An_id_token_whose_issuer_names_another_tenant_than_its_tid_is_refused()
    {
        var validate = MicrosoftTenantIssuer.Create(ExternalProviderTypes.MicrosoftAuthority, [], MetadataClient());

        Assert.ThrowsAny<SecurityTokenInvalidIssuerException>(() => validate(IssuerOf(TenantA), Token(TenantA, tid: TenantB), Parameters()));
    }

    [Fact]
    public void An_id_token_from_a_tenant_the_operator_did_not_allow_is_refused()
    {
        var validate = MicrosoftTenantIssuer.Create(ExternalProviderTypes.MicrosoftAuthority, [TenantA], MetadataClient());

        var error = Assert.ThrowsAny<SecurityTokenInvalidIssuerException>(() => validate(IssuerOf(TenantB), Token(TenantB, tid: TenantB), Parameters()));
        Assert.Contains("not allowed", error.Message);
    }

    [Theory]
    [InlineData(false, "no list: any tenant of the common endpoint")]
    [InlineData(true, "the tenant is on the list")]
    public void An_id_token_whose_issuer_is_its_own_tenant_is_accepted(bool restrict, string reason)
    {
        var validate = MicrosoftTenantIssuer.Create(ExternalProviderTypes.MicrosoftAuthority, restrict ? [TenantA] : [], MetadataClient());

        Assert.True(IssuerOf(TenantA) == validate(IssuerOf(TenantA), Token(TenantA, tid: TenantA), Parameters()), reason);
    }

    [Fact]
    public async Task The_common_endpoint_provider_checks_the_tenant_issuer_instead_of_skipping_the_issuer_check()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(), new Dictionary<string, string?>
        {
            ["Tessera:ExternalProviders:ms:Type"] = "microsoft",
            ["Tessera:ExternalProviders:ms:ClientId"] = "tessera",
            ["Tessera:ExternalProviders:ms:ClientSecret"] = "very-secret-value-123",
            ["Tessera:ExternalProviders:ms:AllowedTenants:0"] = TenantA,
        });
        var parameters = server.GetService<IOptionsMonitor<OpenIdConnectOptions>>().Get("ms").TokenValidationParameters;

        Assert.True(parameters.ValidateIssuer);
        Assert.NotNull(parameters.IssuerValidator);
        // The template as discovery would set it; the allowed tenant passes, another one (with a matching issuer) does not.
        var withTemplate = Parameters();
        Assert.Equal(IssuerOf(TenantA), parameters.IssuerValidator(IssuerOf(TenantA), Token(TenantA, tid: TenantA), withTemplate));
        Assert.ThrowsAny<SecurityTokenInvalidIssuerException>(() => parameters.IssuerValidator(IssuerOf(TenantB), Token(TenantB, tid: TenantB), withTemplate));
    }

    private static string IssuerOf(string tenant) => Template.Replace("{tenantid}", tenant);

    private static TokenValidationParameters Parameters() => new() { ValidIssuer = Template };

    private static JsonWebToken Token(string issuerTenant, string tid) =>
        new(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerOf(issuerTenant),
            Claims = new Dictionary<string, object> { ["tid"] = tid, ["sub"] = "someone" },
        }));

    /// <summary>Microsoft's v2.0 metadata as the validator would fetch it: only the issuer template matters here.</summary>
    private static HttpClient MetadataClient() => new(new MetadataHandler());

    private sealed class MetadataHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"issuer":"{{Template}}","authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/authorize"}""", Encoding.UTF8, "application/json"),
            });
    }
}
