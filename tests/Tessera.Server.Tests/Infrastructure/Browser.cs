using System.Net;
using System.Text.RegularExpressions;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// A cookie-keeping HTTP client that follows no redirects by itself, so tests see every hop of an interactive flow;
/// forms are submitted with the anti-forgery token scraped from the page, as a browser would send it.
/// </summary>
public sealed partial class Browser(TesseraServer server) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _client;

    /// <summary>An attacker's browser holding a copy of <paramref name="victim"/>'s cookies, sent to <paramref name="server"/>.</summary>
    public Browser(TesseraServer server, Browser victim) : this(server)
    {
        foreach (Cookie cookie in victim._cookies.GetAllCookies())
            _cookies.Add(server.BaseAddress, new Cookie(cookie.Name, cookie.Value, cookie.Path));
    }

    private HttpClient _http => _client ??= new(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
    {
        BaseAddress = server.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public HttpClient Http => _http;

    /// <summary>A cookie as the page's own script would set it (the time zone), sent from now on.</summary>
    public void SetCookie(string name, string value) => _cookies.Add(server.BaseAddress, new Cookie(name, value, "/"));

    public async Task<Page> GetAsync(string pathAndQuery) => await Page.ReadAsync(await _http.GetAsync(pathAndQuery));

    /// <summary>Posts a form to <paramref name="action"/> with the page's anti-forgery token (unless told not to).</summary>
    public async Task<Page> SubmitAsync(Page page, string action, IEnumerable<(string Name, string Value)> fields, bool withAntiforgery = true)
    {
        var all = fields.ToList();
        if (withAntiforgery) all.Add(("__RequestVerificationToken", page.AntiforgeryToken ?? throw new InvalidOperationException("the page has no anti-forgery token")));
        var response = await _http.PostAsync(action, new FormUrlEncodedContent(all.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        return await Page.ReadAsync(response);
    }

    /// <summary>Follows redirects on this server; stops at the first one that leaves it (the client's redirect_uri).</summary>
    public async Task<Page> FollowAsync(Page page)
    {
        for (var hops = 0; hops < 10 && page.Location is { } location; hops++)
        {
            var target = new Uri(new Uri(server.BaseAddress, page.RequestPath), location);
            if (target.Authority != server.BaseAddress.Authority) return page;
            page = await GetAsync(target.PathAndQuery);
        }
        return page;
    }

    public void Dispose() => _client?.Dispose();

    public sealed partial record Page(HttpResponseMessage Response, string Html)
    {
        public int Status => (int)Response.StatusCode;
        public string? Location => Response.Headers.Location?.OriginalString;
        public string RequestPath => Response.RequestMessage!.RequestUri!.PathAndQuery;
        public string? AntiforgeryToken => TokenField().Match(Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

        /// <summary>The value of a hidden field the page carries.</summary>
        public string? Field(string name) =>
            Regex.Match(Html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

        public static async Task<Page> ReadAsync(HttpResponseMessage response) => new(response, await response.Content.ReadAsStringAsync());

        [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]*)\"")]
        private static partial Regex TokenField();
    }
}
