using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Server;

namespace Tessera.Testing;

/// <summary>
/// The real Tessera host, started in-process on Kestrel at 127.0.0.1 with its own database and an import file.
/// Tests talk HTTP to it like any client.
/// </summary>
public sealed class TesseraServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestDatabase? _ownedDatabase;
    private readonly string _importPath;

    private TesseraServer(WebApplication app, TestDatabase database, bool ownsDatabase, string importPath, Uri baseAddress, string issuer)
    {
        _app = app;
        _ownedDatabase = ownsDatabase ? database : null;
        _importPath = importPath;
        BaseAddress = baseAddress;
        Issuer = issuer;
        Provider = database.Provider;
    }

    public Uri BaseAddress { get; }

    /// <summary>The configured issuer: the base address, unless the settings name another (nodes of one cluster share it).</summary>
    public string Issuer { get; }
    public string Provider { get; }

    /// <summary>Services of the running host, for triggering work a timer would do (housekeeping), never for faking results.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server on a fresh database of its own, dropped when the server is disposed.</summary>
    public static async Task<TesseraServer> StartAsync(
        DatabaseKind kind, JsonObject import, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        try
        {
            return await StartAsync(database, ownsDatabase: true, import, settings, configure);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a server on a database the caller owns and disposes: several servers may use it, one after another
    /// (a restart) or at the same time (nodes of one cluster).
    /// </summary>
    public static Task<TesseraServer> StartAsync(
        TestDatabase database, JsonObject import, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(database, ownsDatabase: false, import, settings, configure);

    /// <param name="configure">More services for the host (an in-memory telemetry exporter), never a replacement of the server's own.</param>
    private static async Task<TesseraServer> StartAsync(
        TestDatabase database, bool ownsDatabase, JsonObject import, IDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure)
    {
        // A caller that must know the address before the start (another server's import names it) passes Urls itself.
        if (settings is not null && settings.TryGetValue("Urls", out var urls) && urls is not null)
            return await StartAtAsync(new Uri(urls), database, ownsDatabase, import, settings, configure);

        // The issuer must name the port before the host starts, so the port is chosen, released and bound again; in
        // between, any outgoing connection on this machine may take it as its ephemeral port (seen in CI once in ~1,800
        // starts). Then another free port is tried — a caller-chosen address is never retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAtAsync(new Uri($"http://127.0.0.1:{FreePort()}/"), database, ownsDatabase, import, settings, configure);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException && attempt < 5)
            {
            }
        }
    }

    private static async Task<TesseraServer> StartAtAsync(
        Uri baseAddress, TestDatabase database, bool ownsDatabase, JsonObject import, IDictionary<string, string?>? settings,
        Action<WebApplicationBuilder>? configure)
    {
        var importPath = Path.Combine(Path.GetTempPath(), $"tessera-import-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(importPath, import.ToJsonString());

        var config = new Dictionary<string, string?>
        {
            ["Urls"] = baseAddress.ToString(),
            ["Tessera:Issuer"] = baseAddress.ToString().TrimEnd('/'),
            ["Tessera:Import"] = importPath,
            ["Tessera:Database:Provider"] = database.Provider,
            ["Tessera:Database:ConnectionString"] = database.ConnectionString,
            ["Tessera:Database:PgBouncer"] = database.ThroughPgBouncer ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Test servers run as Production (the rules a deployment meets), with the key ring in the throw-away database.
            ["Tessera:DataProtection:AllowUnprotected"] = "true",
            // Every test connects from 127.0.0.1, standing for many clients at once: the per-IP limits are off unless a
            // test sets them (Security/RateLimitTests does). Per-username and per-user guess limits keep their defaults.
            ["Tessera:RateLimits:SignInFailuresPerIp:PermitLimit"] = "0",
            ["Tessera:RateLimits:RegistrationsPerIp:PermitLimit"] = "0",
            ["Tessera:RateLimits:DeviceAuthorizationsPerIp:PermitLimit"] = "0",
            ["Tessera:RateLimits:ClientRegistrationsPerIp:PermitLimit"] = "0",
            ["Tessera:RateLimits:DevicePageSubmissionsPerIp:PermitLimit"] = "0",
            ["Tessera:RateLimits:AccountMailRequestsPerIp:PermitLimit"] = "0",
            // Without an SMTP server in the test's settings, mail goes to a directory of this server's own.
            ["Tessera:Email:PickupDirectory"] = Path.Combine(Path.GetTempPath(), $"tessera-mail-{Guid.NewGuid():n}"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        try
        {
            // The host environment is chosen by the test, never by the machine's ASPNETCORE_ENVIRONMENT.
            var environment = config.GetValueOrDefault(EnvironmentSetting) ?? "Production";
            var app = await TesseraApp.CreateAsync(["--environment", environment], builder =>
            {
                builder.Configuration.AddInMemoryCollection(config);
                builder.Logging.ClearProviders();
                // Every test server checks service lifetimes as Development does (a singleton holding a scoped service
                // fails the first test); production hosts skip it, since scope validation costs on every resolution.
                builder.Host.UseDefaultServiceProvider(provider => { provider.ValidateScopes = true; provider.ValidateOnBuild = true; });
                configure?.Invoke(builder);
            });
            try
            {
                await app.StartAsync();
            }
            catch
            {
                // A host that failed to bind may have started its hosted services; they stop with it.
                await app.DisposeAsync();
                throw;
            }
            return new TesseraServer(app, database, ownsDatabase, importPath, baseAddress, config["Tessera:Issuer"]!)
            {
                MailDirectory = config["Tessera:Email:PickupDirectory"]!,
            };
        }
        catch
        {
            File.Delete(importPath);
            throw;
        }
    }

    /// <summary>The setting that chooses the host environment (Production unless a test says otherwise).</summary>
    public const string EnvironmentSetting = "environment";

    /// <summary>Where this server writes mail when the test gave it no SMTP server.</summary>
    public string MailDirectory { get; private init; } = "";

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public T GetService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownedDatabase is not null) await _ownedDatabase.DisposeAsync();
        File.Delete(_importPath);
        if (Directory.Exists(MailDirectory)) Directory.Delete(MailDirectory, recursive: true);
    }

    /// <summary>
    /// A port free on 127.0.0.1 now, for a server whose address must be known before it starts. It is drawn below
    /// Linux's ephemeral range (32768–60999), where no outgoing connection can take it before the server binds it, and
    /// never handed out twice by this process.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(FirstTestPort, EphemeralRangeStart);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port)) continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by another process (a server of a test assembly running beside this one): try another.
            }
        }
        throw new InvalidOperationException($"No free port between {FirstTestPort} and {EphemeralRangeStart} after 1,000 tries.");
    }

    private const int FirstTestPort = 20_000;
    private const int EphemeralRangeStart = 32_768;
    private static readonly HashSet<int> HandedOut = [];
}
