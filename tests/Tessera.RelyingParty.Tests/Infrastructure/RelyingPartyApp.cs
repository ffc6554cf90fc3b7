using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Tessera.RelyingParty.Tests.Infrastructure;

/// <summary>What the relying party learns only after it has started: its own port goes into Tessera's import first.</summary>
public sealed class RelyingPartySettings
{
    public string Authority { get; set; } = "";
    public Uri? MessagesApi { get; set; }
}

/// <summary>
/// A third-party web app as its developers would write it: cookie sessions and the stock ASP.NET Core OpenID Connect
/// handler (code flow, PKCE, tokens saved in the session) with Tessera as its authority. It shows who is signed in
/// and calls the messages API with the access token it saved.
/// </summary>
public sealed class RelyingPartyApp : IAsyncDisposable
{
    public const string ClientId = "relying-party";
    public const string ClientSecret = "relying-party-secret-0123456789-abc";

    private readonly WebApplication _app;

    private RelyingPartyApp(WebApplication app, Uri baseAddress, RelyingPartySettings settings)
    {
        _app = app;
        BaseAddress = baseAddress;
        Settings = settings;
    }

    public Uri BaseAddress { get; }
    public Uri RedirectUri => new(BaseAddress, "/signin-oidc");

    /// <summary>Read when the first request builds the handler's options: set it before anyone visits the app.</summary>
    public RelyingPartySettings Settings { get; }

    public static async Task<RelyingPartyApp> StartAsync()
    {
        var settings = new RelyingPartySettings();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(settings);
        builder.Services.AddHttpClient();
        builder.Services.AddAuthorization();
        builder.Services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o => o.Cookie.Name = "rp.session")
            .AddOpenIdConnect(o =>
            {
                o.ClientId = ClientId;
                o.ClientSecret = ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.ResponseMode = OpenIdConnectResponseMode.Query;   // Tessera supports query only (no form_post yet)
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email", "message" }) o.Scope.Add(scope);
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.AccessDeniedPath = "/denied";
                // Only because the issuer is on loopback: this app and Tessera run over plain HTTP on 127.0.0.1.
                o.RequireHttpsMetadata = false;
                // The correlation and nonce cookies default to Secure + SameSite=None, which plain HTTP cannot carry;
                // the callback is a top-level GET (response_mode=query), so Lax brings them back.
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<RelyingPartySettings>((o, s) => o.Authority = s.Authority);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", () => Html("Home", "<p id=\"home\">welcome</p>"));
        app.MapGet("/profile", (HttpContext context) => Html("Profile",
            $"<p id=\"name\">{Encode(context.User.Identity?.Name)}</p><p id=\"sub\">{Encode(context.User.FindFirst("sub")?.Value)}</p>" +
            $"<p id=\"email\">{Encode(context.User.FindFirst("email")?.Value)}</p>")).RequireAuthorization();
        app.MapGet("/call-api", CallApiAsync).RequireAuthorization();
        app.MapGet("/denied", () => Html("Denied", "<p id=\"denied\">access denied</p>"));
        await app.StartAsync();
        return new RelyingPartyApp(app, new Uri(app.Urls.Single()), settings);
    }

    /// <summary>Calls the messages API server-side with the access token the handler saved in the session.</summary>
    private static async Task<IResult> CallApiAsync(HttpContext context, IHttpClientFactory clients, RelyingPartySettings settings)
    {
        var accessToken = await context.GetTokenAsync("access_token");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.MessagesApi!, "/messages"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await clients.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return Html("API", $"<p id=\"api-status\">{(int)response.StatusCode}</p><pre id=\"api-body\">{Encode(body)}</pre>");
    }

    private static IResult Html(string title, string body) =>
        Results.Content($"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html");

    private static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
