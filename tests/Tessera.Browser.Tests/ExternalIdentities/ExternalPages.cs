using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage.Users;
using Tessera.Testing;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>HTTP-level helpers for the external sign-in pages: a cookie-keeping client that stops at each redirect.</summary>
public static partial class ExternalPages
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static HttpClient Browserless(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Clicks a provider's button the way the sign-in page's form does (with its anti-forgery token).</summary>
    public static async Task<HttpResponseMessage> PostExternalAsync(HttpClient http, string provider)
    {
        var page = await http.GetStringAsync("account/sign-in");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await http.PostAsync("account/external", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["provider"] = provider, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
    }

    public static async Task<string> ErrorPageAsync(HttpClient http, HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/error?id=", redirect.Headers.Location!.OriginalString);
        using var page = await http.GetAsync(redirect.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        return WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
    }

    public static Task<HttpResponseMessage> GetWithTokenAsync(HttpClient http, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    public static async Task<int> UserCountAsync(TesseraServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<Tessera.Server.Storage.TesseraDbContext>().Users.Count();
    }

    /// <summary>The local user an external identity is linked to, read from the server (never written).</summary>
    public static async Task<TesseraUser?> LinkedUserAsync(TesseraServer server, string provider, string key)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByLoginAsync(provider, key);
    }
}
