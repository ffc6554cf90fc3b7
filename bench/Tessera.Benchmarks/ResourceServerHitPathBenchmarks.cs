using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Tessera.AspNetCore;

namespace Tessera.Benchmarks;

/// <summary>
/// The resource-server library's hot path: authenticating a request whose token is already in the scheme's cache (a
/// JWT validated before, an opaque handle introspected before), through the public API an API uses
/// (<c>AddTessera</c>, then <c>AuthenticateAsync</c> per request). Only public API is used, so the same class measures
/// any version of the library.
/// </summary>
[MemoryDiagnoser]
public class ResourceServerHitPathBenchmarks
{
    private const string Issuer = "https://id.example";
    private const string Audience = "https://api.example";

    private IServiceProvider _services = null!;
    private string _jwt = "";
    private readonly string _opaque = "tsr_at_" + new string('A', 43);

    [GlobalSetup]
    public async Task Setup()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa" };
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer, IntrospectionEndpoint = Issuer + "/connect/introspect" };
        configuration.SigningKeys.Add(key);
        var now = DateTimeOffset.UtcNow;
        _jwt = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, TokenType = "at+jwt", SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime, Expires = now.AddHours(1).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["client_id"] = "app", ["scope"] = "api", ["jti"] = "jti-0123456789" },
        });

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddAuthentication().AddTessera(o =>
        {
            o.Authority = Issuer;
            o.Audience = Audience;
            o.ClientId = "api";
            o.ClientSecret = "api-secret-0123456789";
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            o.BackchannelHttpHandler = new IntrospectionStub(now.AddHours(1).ToUnixTimeSeconds());
        });
        _services = services.BuildServiceProvider();

        // Fill the caches: the first request of each token validates or introspects it.
        if ((await AuthenticateAsync(_jwt)).Principal is null || (await AuthenticateAsync(_opaque)).Principal is null)
            throw new InvalidOperationException("the benchmark's tokens are not accepted");
    }

    /// <summary>
    /// One request: its own service scope, as ASP.NET Core gives each request. Without it the scoped handler provider
    /// keeps the first request's handler, whose result is cached, and every later call would measure nothing.
    /// </summary>
    private async Task<AuthenticateResult> AuthenticateAsync(string token)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + token;
        return await context.AuthenticateAsync(TesseraDefaults.AuthenticationScheme);
    }

    [Benchmark(Description = "authenticate: JWT already validated (cache hit)")]
    public async Task<ClaimsPrincipal?> CachedJwt() => (await AuthenticateAsync(_jwt)).Principal;

    [Benchmark(Description = "authenticate: opaque token already introspected (cache hit)")]
    public async Task<ClaimsPrincipal?> CachedOpaque() => (await AuthenticateAsync(_opaque)).Principal;

    /// <summary>The issuer's introspection endpoint, answering "active" for any token (only the first request asks).</summary>
    private sealed class IntrospectionStub(long exp) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    $$"""{"active":true,"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"alice","client_id":"app","scope":"api","exp":{{exp}}}""",
                    Encoding.UTF8, "application/json"),
            });
    }
}
