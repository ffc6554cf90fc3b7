using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Pages;

/// <summary>
/// A server whose pipeline ends, for two paths no endpoint serves, in a failure: an ordinary exception and a database
/// outage (a timeout, as DatabaseUnavailable reads it). Added from outside through the host's start-up filters, after the
/// server's own pipeline, so the server carries no test code and the failures pass through its real exception handler.
/// </summary>
public abstract class StatusPageFixture(DatabaseKind kind) : IAsyncLifetime
{
    public const string Failing = "/test-only/fails";
    public const string Outage = "/test-only/database-down";
    public const string Secret = "the exception text that must not leave the server";

    public TesseraServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TesseraServer.StartAsync(kind, TestClients.StandardImport(),
        configure: builder => builder.Services.AddSingleton<IStartupFilter, FailingPaths>());

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }

    private sealed class FailingPaths : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(Failing, failing => failing.Run(_ => throw new InvalidOperationException(Secret)));
            app.Map(Outage, outage => outage.Run(_ => throw new TimeoutException(Secret)));
        };
    }
}

public sealed class SqliteStatusPageFixture() : StatusPageFixture(DatabaseKind.Sqlite);
public sealed class PostgresStatusPageFixture() : StatusPageFixture(DatabaseKind.Postgres);

/// <summary>
/// Issue 20: a person who opens an unknown address or whose page fails reads a sentence on Tessera's layout, under the
/// pages' CSP, with the real status; an API client (no Accept, JSON, any POST) keeps exactly the answers it had, and an
/// endpoint's own 404 is never replaced.
/// </summary>
public abstract class StatusPageTests(TesseraServer server) : ServerTest(server)
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Fact]
    public async Task A_browser_asking_for_an_unknown_path_gets_the_not_found_page_with_the_page_headers()
    {
        using var response = await SendAsync(HttpMethod.Get, "/no/such/page?x=1", BrowserAccept);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var sentence = html.IndexOf("There is no page at this address.", StringComparison.Ordinal);
        var status = html.IndexOf("<small>Status 404</small>", StringComparison.Ordinal);
        Assert.True(sentence > 0 && status > sentence, html);
        Assert.Contains("href=\"/account\"", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task A_head_request_of_a_browser_gets_the_same_status()
    {
        using var response = await SendAsync(HttpMethod.Head, "/no/such/page", BrowserAccept);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("GET", "application/json")]
    [InlineData("GET", "text/html;q=0, application/json")]
    [InlineData("POST", BrowserAccept)]
    public async Task An_api_client_gets_todays_empty_404_for_an_unknown_path(string method, string? accept)
    {
        using var response = await SendAsync(new HttpMethod(method), "/no/such/page", accept);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(response.Content.Headers.ContentType);
    }

    [Fact]
    public async Task An_endpoints_own_404_stays_its_own_even_for_a_browser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/clients/no-such-client");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminApi.TokenAsync(Protocol));
        request.Headers.Accept.ParseAdd(BrowserAccept);
        using var admin = await Http.SendAsync(request);
        using var image = await SendAsync(HttpMethod.Get, "/img/no-such-logo.png", BrowserAccept);
        using var problemPage = await SendAsync(HttpMethod.Get, "/problem/500", BrowserAccept);

        Assert.Equal(404, (int)admin.StatusCode);
        Assert.Equal("application/json", admin.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"error\"", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(404, (int)image.StatusCode);
        Assert.DoesNotContain("There is no page", await image.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Opened directly, the page claims no failure.
        Assert.Equal(404, (int)problemPage.StatusCode);
    }

    [Fact]
    public async Task A_failing_page_request_gets_the_error_page_without_the_exception()
    {
        using var response = await SendAsync(HttpMethod.Get, StatusPageFixture.Failing, BrowserAccept);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Something went wrong on our side", html, StringComparison.Ordinal);
        Assert.Contains("<small>Status 500</small>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(StatusPageFixture.Secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("GET", "application/json")]
    [InlineData("POST", BrowserAccept)]
    public async Task A_failing_api_request_keeps_the_json_server_error(string method, string? accept)
    {
        using var response = await SendAsync(new HttpMethod(method), StatusPageFixture.Failing, accept);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"error\":\"server_error\",\"error_description\":\"the server could not complete the request\"}", body);
    }

    [Fact]
    public async Task A_database_outage_is_a_503_try_again_page_for_a_browser_and_temporarily_unavailable_for_an_api()
    {
        using var page = await SendAsync(HttpMethod.Get, StatusPageFixture.Outage, BrowserAccept);
        using var api = await SendAsync(HttpMethod.Get, StatusPageFixture.Outage, "application/json");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(503, (int)page.StatusCode);
        Assert.Equal("5", page.Headers.GetValues("Retry-After").Single());
        Assert.Contains("Try again in a moment.", html, StringComparison.Ordinal);
        Assert.Contains("<small>Status 503</small>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(StatusPageFixture.Secret, html, StringComparison.Ordinal);
        Assert.Equal(503, (int)api.StatusCode);
        Assert.Equal("5", api.Headers.GetValues("Retry-After").Single());
        Assert.Contains("\"error\":\"temporarily_unavailable\"", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accept)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent([]);
        return await Http.SendAsync(request);
    }
}

public sealed class StatusPageTests_Sqlite(SqliteStatusPageFixture f) : StatusPageTests(f.Server), IClassFixture<SqliteStatusPageFixture>;

public sealed class StatusPageTests_Postgres(PostgresStatusPageFixture f) : StatusPageTests(f.Server), IClassFixture<PostgresStatusPageFixture>;
