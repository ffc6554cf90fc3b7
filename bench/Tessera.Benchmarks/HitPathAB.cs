using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Benchmarks;

/// <summary>
/// The library's cache-hit path, this build against another build of Tessera.AspNetCore, in one process and
/// interleaved: short alternating batches, so that load from other processes on a shared machine falls on both alike.
/// BenchmarkDotNet runs one benchmark after the other, and on a busy 2-core machine the load moved more between them
/// than the difference measured. The other build is loaded into its own AssemblyLoadContext and driven through the
/// same public API an application uses (AddTessera, AuthenticateAsync).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Tessera.Benchmarks -- hit-path-ab /path/to/other/Tessera.AspNetCore.dll [rounds]</c>
/// </remarks>
internal static class HitPathAB
{
    private const string Issuer = "https://id.example";
    private const string Audience = "https://api.example";
    private const int BatchOperations = 20_000;

    public static async Task<int> RunAsync(string otherLibraryPath, int rounds)
    {
        var other = new AssemblyLoadContext("other build", isCollectible: false).LoadFromAssemblyPath(Path.GetFullPath(otherLibraryPath));
        var here = typeof(Tessera.AspNetCore.TesseraOptions).Assembly;
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa" };
        var jwt = Jwt(key);
        const string opaque = "tsr_at_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        var variants = new List<(string Name, IServiceProvider Services, string Token)>();
        foreach (var (build, library) in new[] { ("other", other), ("this", here) })
        {
            var services = Services(library, key);
            foreach (var (kind, token) in new[] { ("JWT", jwt), ("opaque", opaque) })
            {
                if (await AuthenticateAsync(services, token) is null) throw new InvalidOperationException($"{build} build refused the {kind} token");
                variants.Add(($"{kind,-6} {build}", services, token));
            }
        }

        foreach (var variant in variants) await BatchAsync(variant.Services, variant.Token, BatchOperations * 5);   // warm-up, tiering
        var nanoseconds = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var bytes = variants.ToDictionary(v => v.Name, _ => 0.0);
        for (var round = 0; round < rounds; round++)
        {
            // Alternate the order each round, so neither build always runs right after the other.
            foreach (var variant in round % 2 == 0 ? variants : Enumerable.Reverse(variants))
            {
                var (perOperation, allocated) = await BatchAsync(variant.Services, variant.Token, BatchOperations);
                nanoseconds[variant.Name].Add(perOperation);
                bytes[variant.Name] = allocated;
            }
        }

        Console.WriteLine($"{rounds} rounds of {BatchOperations} authentications per variant, interleaved");
        Console.WriteLine($"{"variant",-14} {"median ns/op",12} {"p25",8} {"p75",8} {"B/op",6}");
        foreach (var (name, values) in nanoseconds)
            Console.WriteLine($"{name,-14} {Percentile(values, 0.5),12:F0} {Percentile(values, 0.25),8:F0} {Percentile(values, 0.75),8:F0} {bytes[name],6:F0}");
        foreach (var kind in new[] { "JWT", "opaque" })
        {
            // Paired: each round's batches of the two builds ran next to each other.
            var ratios = nanoseconds[$"{kind,-6} this"].Zip(nanoseconds[$"{kind,-6} other"], (a, b) => a / b).ToList();
            Console.WriteLine($"{kind}: this / other = {Percentile(ratios, 0.5):F3} (median of paired rounds; p25 {Percentile(ratios, 0.25):F3}, p75 {Percentile(ratios, 0.75):F3})");
        }
        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(p * (sorted.Count - 1))];
    }

    private static async Task<(double NanosecondsPerOperation, double BytesPerOperation)> BatchAsync(IServiceProvider services, string token, int operations)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < operations; i++) await AuthenticateAsync(services, token);
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (clock.Elapsed.TotalNanoseconds / operations, (double)allocated / operations);
    }

    /// <summary>One request: its own service scope, as ASP.NET Core gives each request (the authentication handler is per request).</summary>
    private static async Task<object?> AuthenticateAsync(IServiceProvider services, string token)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + token;
        return (await context.AuthenticateAsync("Tessera")).Principal;
    }

    /// <summary><c>services.AddAuthentication().AddTessera(o => …)</c> of the given build, through reflection.</summary>
    private static IServiceProvider Services(Assembly library, SecurityKey key)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer, IntrospectionEndpoint = Issuer + "/connect/introspect" };
        configuration.SigningKeys.Add(key);
        var settings = new Dictionary<string, object>
        {
            ["Authority"] = Issuer, ["Audience"] = Audience, ["ClientId"] = "api", ["ClientSecret"] = "api-secret-0123456789",
            ["ConfigurationManager"] = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration),
            ["BackchannelHttpHandler"] = new IntrospectionStub(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()),
        };
        var optionsType = library.GetType("Tessera.AspNetCore.TesseraOptions", throwOnError: true)!;
        var configure = typeof(HitPathAB).GetMethod(nameof(Configure), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(optionsType).Invoke(null, [settings])!;
        var addTessera = library.GetType("Tessera.AspNetCore.TesseraExtensions", throwOnError: true)!.GetMethods()
            .Single(m => m.Name == "AddTessera" && m.GetParameters().Length == 2);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        addTessera.Invoke(null, [services.AddAuthentication(), configure]);
        return services.BuildServiceProvider();
    }

    private static Action<T> Configure<T>(Dictionary<string, object> settings) => options =>
    {
        foreach (var (name, value) in settings) typeof(T).GetProperty(name)!.SetValue(options, value);
    };

    private static string Jwt(SecurityKey key)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, TokenType = "at+jwt", SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            IssuedAt = now, NotBefore = now, Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["client_id"] = "app", ["scope"] = "api", ["jti"] = "jti-0123456789" },
        });
    }

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
