using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Tessera.Server.Admin;
using Tessera.Server.Apis;
using Tessera.Server.Areas.Console;
using Tessera.Server.Audit;
using Tessera.Server.BackChannelLogout;
using Tessera.Server.Catalog;
using Tessera.Server.Clients;
using Tessera.Server.Configuration;
using Tessera.Server.ExternalIdentities;
using Tessera.Server.Health;
using Tessera.Server.Housekeeping;
using Tessera.Server.Import;
using Tessera.Server.Keys;
using Tessera.Server.Mail;
using Tessera.Server.Pages;
using Tessera.Server.Pages.Localization;
using Tessera.Server.PersonalAccessTokens;
using Tessera.Server.Protocol.Cors;
using Tessera.Server.Protocol.Endpoints;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Registration;
using Tessera.Server.Registration.MetadataDocuments;
using Tessera.Server.Responses;
using Tessera.Server.Roles;
using Tessera.Server.Sessions;
using Tessera.Server.Storage;
using Tessera.Server.Storage.SharedCache;
using Tessera.Server.Storage.Users;
using Tessera.Server.Telemetry;
using Tessera.Server.Throttling;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.AuthorizationCodes;
using Tessera.Server.Tokens.DeviceAuthorizations;
using Tessera.Server.Tokens.Dpop;
using Tessera.Server.Tokens.IdTokens;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Tokens.PushedAuthorizations;
using Tessera.Server.Tokens.RefreshTokens;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Users;

namespace Tessera.Server;

/// <summary>Composition of the server: configuration, services, start-up work and routes. Used by Program and by tests.</summary>
public static partial class TesseraApp
{
    private static readonly Dictionary<string, string> SwitchMappings = new() { ["--import"] = "Tessera:Import" };

    /// <summary>
    /// The folder appsettings.json is read from: the application's own, unless --contentRoot or ASPNETCORE_CONTENTROOT
    /// names another. ASP.NET Core's default, the working directory, left a server started elsewhere
    /// (<c>dotnet /opt/tessera/Tessera.Server.dll</c>) without its settings — logging every request at Information, a
    /// fifth of the ES256 throughput. Relative paths in settings (the SQLite file, the mail directory) stay relative to
    /// the working directory, as before.
    /// </summary>
    private static string? ContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
            ? null
            : AppContext.BaseDirectory;

    /// <summary>Builds the server and prepares its database, keys and import; the returned app is ready to run.</summary>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The machine's locale (LANG) must not change what the protocol, the admin API, the import or the logs say: only
        // the pages take a culture, per request (PageLocalization).
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        // A bare flag: the command-line provider would take the argument after it as its value.
        args = [.. args.Select(a => a == "--import-overwrite-credentials" ? "--Tessera:ImportOverwriteCredentials=true" : a)];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        configure?.Invoke(builder);
        AddServices(builder);

        var app = builder.Build();
        try
        {
            await PrepareAsync(app);
        }
        catch
        {
            // A failed start (an invalid import, an unreachable database) must not leak the host's services and pools.
            await app.DisposeAsync();
            throw;
        }
        MapRoutes(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TesseraOptions>().Bind(builder.Configuration.GetSection(TesseraOptions.Section)).ValidateOnStart();
        // Both run at start and their failures are reported together: the attributes' bounds, then the rules in code.
        services.AddSingleton<IValidateOptions<TesseraOptions>, TesseraOptionsAttributeValidator>();
        services.AddSingleton<IValidateOptions<TesseraOptions>, TesseraOptionsRuleValidator>();
        var options = builder.Configuration.GetSection(TesseraOptions.Section).Get<TesseraOptions>() ?? new TesseraOptions();
        // An unready node answers its probe with 503, which is how a load balancer drains it, not a failure of the
        // server: the health check service would log every such probe at Error (a "fail:" line per probe).
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });

        builder.AddTesseraTelemetry(options.Telemetry);
        services.AddTesseraStorage(options.Database);
        services.AddTesseraDataProtection(options.DataProtection);
        services.AddIdentityCore<TesseraUser>(identity =>
            {
                identity.User.RequireUniqueEmail = false;
                // No automatic lockout (sign-in passes lockoutOnFailure: false): an attacker's wrong passwords must not
                // lock the owner out. Failed sign-ins are throttled per username and IP instead (SignInThrottle).
            })
            .AddRoles<TesseraRole>()
            .AddEntityFrameworkStores<TesseraDbContext>()
            // The two-factor secrets encrypted and hashed at rest; authenticator codes accepted once.
            .AddUserStore<TesseraUserStore>()
            .AddTokenProvider<ReplayRefusingAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            // The mailed links (password reset, e-mail verification and change): Data Protection, bound to the security stamp.
            .AddTokenProvider<DataProtectorTokenProvider<TesseraUser>>(TokenOptions.DefaultProvider)
            .AddSignInManager()
            .AddPageLanguageErrors();
        services.Configure<DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = options.Email.LinkLifetime);
        services.AddTesseraPasskeys();
        services.AddTesseraMail(options.Email);
        services.AddTesseraPages().AddExternalProviders(options);
        services.AddTesseraConsole();
        services.AddTransportSecurity(options);
        services.AddTesseraRateLimits(options.RateLimits);
        services.AddExternalIdentities();
        services.AddServerSideSessions();

        services.AddSingleton(TimeProvider.System);
        // The audit trail reads who and where from the request it is told about in grants, which carry no HttpContext.
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<AuditWriter>();
        services.AddSingleton<IssuerUrls>();
        services.AddSingleton(new JsonWebTokenHandler { MapInboundClaims = false });
        services.AddSingleton<KeyMaterial>();
        services.AddSingleton<ApiSecretProtector>();
        services.AddSingleton<ClientSecretHasher>();
        services.AddSingleton<SnapshotCache>();
        services.AddClientIdMetadataDocuments(options.ClientIdMetadataDocuments);
        services.AddSingleton<KeyRingReloader>();
        services.AddSingleton<KeyManager>();
        services.AddSingleton<ClientAuthentication>();
        services.AddSingleton<JwtAccessTokenWriter>();
        services.AddSingleton<OpaqueTokenCache>();
        services.AddTesseraSharedCache(options.Cache);
        services.AddSingleton<SharedOpaqueTokenCache>();
        services.AddSingleton<OpaqueTokenStore>();
        services.AddSingleton<DpopProofReplay>();
        services.AddSingleton<DpopNonces>();
        services.AddSingleton<DpopProofs>();
        services.AddSingleton<PushedAuthorizationStore>();
        services.AddSingleton<AuthorizationRequestSource>();
        services.AddSingleton<RequestObjects>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccessTokenInspector>();
        services.AddSingleton<TokenRevoker>();
        services.AddSingleton<UserRevocation>();
        services.AddSingleton<AuthorizationCodeStore>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<UserPermissions>();
        services.AddSingleton<HeldScopes>();
        services.AddSingleton<TokenUserClaims>();
        services.AddSingleton<PersonalAccessTokenCoverage>();
        services.AddSingleton<AdminPrivilegeCeiling>();
        services.AddSingleton<SecondFactorThrottle>();
        services.AddSingleton<InteractionProofs>();
        services.AddSingleton<IGrantHandler, ClientCredentialsGrant>();
        services.AddSingleton<IGrantHandler, AuthorizationCodeGrant>();
        services.AddSingleton<IGrantHandler, RefreshTokenGrant>();
        services.AddSingleton<IGrantHandler, DeviceCodeGrant>();
        services.AddSingleton<IGrantHandler, TokenExchangeGrant>();
        services.AddSingleton<ExchangeParties>();
        services.AddSingleton<IdTokenReader>();
        services.AddSingleton<DeviceAuthorizationStore>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<UserTokens>();
        services.AddSingleton<IdTokenWriter>();
        services.AddSingleton<GrantTable>();
        services.AddSingleton<DiscoveryEndpoint>();
        services.AddBrowserAppCors();
        services.AddSingleton<PersonalAccessTokenCache>();
        services.AddSingleton<PersonalAccessTokenStore>();
        services.AddSingleton<PersonalAccessTokenUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<PersonalAccessTokenUsage>());
        services.AddBuiltInApiAuthorization();
        services.AddTesseraOpenApi();
        services.AddScoped<ImportApplier>();

        services.AddBackChannelLogout();
        services.AddTesseraHealth();
        services.AddHostedService<SnapshotRefreshService>();
        services.AddHostedService<KeyRotationService>();
        services.AddSingleton<RevokedJwtList>();
        services.AddSingleton<RevokedTokenHashes>();
        services.AddSingleton<RevocationCursor>();
        services.AddHostedService<RevocationPollService>();
        services.AddSingleton<HousekeepingService>();
        services.AddHostedService(sp => sp.GetRequiredService<HousekeepingService>());
    }

    /// <summary>Start-up order matters: schema → shared secrets → configuration snapshot → import → keys.</summary>
    private static async Task PrepareAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Startup");
        Log.Starting(logger, options.Issuer, options.Database.Provider);
        KeyRingProtection.LogAtStart(options.DataProtection, logger);
        MailRegistration.LogAtStart(options.Email, logger);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            await DatabaseStartup.RunAsync(() => SchemaMigration.MigrateAsync(db, CancellationToken.None),
                options.Database.StartupTimeout, logger, app.Services.GetRequiredService<TimeProvider>());
            await app.Services.GetRequiredService<ClientSecretHasher>()
                .LoadAsync(db, app.Services.GetRequiredService<IDataProtectionProvider>(), CancellationToken.None);
            // Before the first request, not at the first revocation poll: a restart must not forget who is disabled.
            await app.Services.GetRequiredService<DisabledUsers>().LoadAsync(db, CancellationToken.None);
            // Likewise the revoked JWTs, and where this node's revocation poll starts reading.
            await RevocationPollService.StartAsync(db, app.Services.GetRequiredService<RevocationCursor>(), app.Services.GetRequiredService<RevokedJwtList>(),
                app.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None);
        }

        if (!string.IsNullOrEmpty(options.Import))
        {
            var document = ImportFile.Read(options.Import);
            var problems = ImportValidator.Validate(document, options.Issuer);
            if (problems.Count > 0) throw new ImportException(problems);
            await using var scope = app.Services.CreateAsyncScope();
            var credentials = options.ImportOverwriteCredentials ? CredentialWrites.Overwrite : CredentialWrites.OnCreateOnly;
            await scope.ServiceProvider.GetRequiredService<ImportApplier>().ApplyAsync(document, credentials, CancellationToken.None);
            if (options.ImportOverwriteCredentials) Log.ImportAppliedOverwritingCredentials(logger, options.Import);
            else Log.ImportAppliedKeepingCredentials(logger, options.Import);
        }

        var cache = app.Services.GetRequiredService<SnapshotCache>();
        await cache.RefreshAsync(force: true, CancellationToken.None);
        // Roles (issue 16): the file may have taken a permission or a role away; a PAT that carries it ends now.
        if (!string.IsNullOrEmpty(options.Import))
            await app.Services.GetRequiredService<PersonalAccessTokenCoverage>().EndUncoveredAsync(null, CancellationToken.None);
        await app.Services.GetRequiredService<KeyManager>().EnsureKeysAsync(CancellationToken.None);
    }

    private static void MapRoutes(WebApplication app)
    {
        app.UseTransportSecurity(app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value);
        // Outside the exception handler, so a failed page's empty 500 or 503 below becomes the page people read.
        app.UseTesseraStatusPages(app.Services.GetRequiredService<IssuerUrls>());
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            // No stack trace or exception text leaves the server; the log has the details. A database outage is not the
            // server failing: 503 with Retry-After (RFC 6749 §4.1.2.1 temporarily_unavailable), so clients and load
            // balancers wait and come back; the node recovers by itself when the database does.
            var unavailable = context.Features.Get<IExceptionHandlerFeature>()?.Error is { } failure && DatabaseUnavailable.Is(failure);
            context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            context.Response.Headers.CacheControl = "no-store";
            if (unavailable) context.Response.Headers.RetryAfter = "5";
            // A person's page request gets no body here: the status code pages show it the page (Pages/StatusPages).
            if (PageRequests.WantsPage(context.Request)) return;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["error"] = unavailable ? "temporarily_unavailable" : "server_error",
                ["error_description"] = unavailable ? "the database is not reachable; retry later" : "the server could not complete the request",
            }));
        }));
        app.UseRouting();
        // Before authentication and the rate limiter: a preflight is answered here and counts against no limit.
        app.UseBrowserAppCors();
        app.UseAuthentication();
        app.UsePageSecurityHeaders();
        app.UsePageLocalization();
        // After routing: only endpoints that carry a policy are limited; the token path carries none by default.
        app.UseRateLimiter();
        // Only the built-in APIs carry policies (on the local bearer scheme); the pages and protocol endpoints carry none.
        app.UseAuthorization();
        app.MapProtocolEndpoints();
        app.MapTesseraPages(app.Services.GetRequiredService<IssuerUrls>());
        app.MapAdminEndpoints();
        // Listening from the start, so the console's overview counts the tokens of the last hour, not of its first visit.
        app.Services.GetRequiredService<Telemetry.RecentTokenIssuance>();
        app.MapPersonalAccessTokenEndpoints();
        app.MapClientRegistration();
        app.MapTesseraOpenApi();
        app.MapProviderTokenEndpoint(app.Services.GetRequiredService<IssuerUrls>());
        app.MapTesseraHealth(app.Services.GetRequiredService<IssuerUrls>());
        app.MapTesseraMetrics(app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value.Telemetry, app.Services.GetRequiredService<IssuerUrls>());
    }
}
