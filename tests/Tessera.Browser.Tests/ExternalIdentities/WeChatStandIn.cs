using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// STAND-IN for WeChat, which cannot be reached from here. NOT WeChat: a few endpoints on 127.0.0.1 that speak the
/// documented website-login dialect (qrconnect → redirect with code and state → sns/oauth2/access_token by GET with
/// appid/secret → sns/userinfo with access_token and openid → sns/oauth2/refresh_token), with errors as errcode/errmsg
/// in 200 answers. Instead of a QR code to scan, its page has "allow" and "deny" links.
/// </summary>
public sealed class WeChatStandIn : IAsyncDisposable
{
    public const string AppId = "wx0123456789abcdef";
    public const string Secret = "wechat-stand-in-secret-0123456789";
    public const string OpenId = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M";
    public const string UnionId = "o6_bmasdasdsad6_2sgVt7hMZOPfL";
    /// <summary>A code the token endpoint refuses (errcode 40029), as WeChat does for an expired or reused code.</summary>
    public const string RefusedCode = "refused-code";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _codes = new();
    private readonly ConcurrentDictionary<string, bool> _accessTokens = new();
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new();

    private WeChatStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Seconds the access tokens live; short, so the provider-token API has to refresh them.</summary>
    public int AccessTokenLifetime { get; set; } = 30;

    /// <summary>Every back-channel call (method and path with query), to check the dialect was spoken.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public bool IsCurrentAccessToken(string token) => _accessTokens.ContainsKey(token);

    public static async Task<WeChatStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new WeChatStandIn(app);
        app.MapGet("/connect/qrconnect", standIn.Authorize);
        app.MapGet("/sns/oauth2/access_token", standIn.Token);
        app.MapGet("/sns/userinfo", standIn.UserInfo);
        app.MapGet("/sns/oauth2/refresh_token", standIn.Refresh);
        await app.StartAsync();
        standIn.BaseAddress = new Uri(app.Urls.Single());
        return standIn;
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["appid"] != AppId || q["response_type"] != "code" || q["scope"] != "snsapi_login" || string.IsNullOrEmpty(q["redirect_uri"]))
            return Results.Content("<p id=\"bad-request\">bad request</p>", "text/html");
        var code = Guid.NewGuid().ToString("n");
        _codes[code] = true;
        string Link(string? c) => WebUtility.HtmlEncode(QueryHelpers.AddQueryString(q["redirect_uri"]!, Query(("code", c), ("state", q["state"]))));
        // WeChat's own page shows a QR code; denying sends the user back with the state and no code.
        return Results.Content(
            $"<!DOCTYPE html><title>WeChat stand-in</title><a id=\"allow\" href=\"{Link(code)}\">allow</a> " +
            $"<a id=\"allow-refused-code\" href=\"{Link(RefusedCode)}\">allow (code the token endpoint refuses)</a> " +
            $"<a id=\"deny\" href=\"{Link(null)}\">deny</a>", "text/html");
    }

    private IResult Token(HttpRequest request)
    {
        Calls.Enqueue("GET " + request.Path + request.QueryString);
        var q = request.Query;
        if (q["appid"] != AppId || q["secret"] != Secret) return Error(40125, "invalid appsecret");
        if (q["grant_type"] != "authorization_code") return Error(40002, "invalid grant_type");
        if (!_codes.TryRemove(q["code"].ToString(), out _)) return Error(40029, "invalid code");
        return Results.Json(Issue(newRefresh: true));
    }

    private IResult UserInfo(HttpRequest request)
    {
        Calls.Enqueue("GET " + request.Path + request.QueryString);
        if (!_accessTokens.ContainsKey(request.Query["access_token"].ToString())) return Error(40001, "invalid credential, access_token is invalid or not latest");
        if (request.Query["openid"] != OpenId) return Error(40003, "invalid openid");
        return Results.Json(new Dictionary<string, object>
        {
            ["openid"] = OpenId, ["nickname"] = "Wei Stand-in", ["sex"] = 1, ["province"] = "", ["city"] = "", ["country"] = "CN",
            ["headimgurl"] = "", ["privilege"] = Array.Empty<string>(), ["unionid"] = UnionId,
        });
    }

    private IResult Refresh(HttpRequest request)
    {
        Calls.Enqueue("GET " + request.Path + request.QueryString);
        var q = request.Query;
        if (q["appid"] != AppId || q["grant_type"] != "refresh_token") return Error(40002, "invalid grant_type");
        if (!_refreshTokens.ContainsKey(q["refresh_token"].ToString())) return Error(40030, "invalid refresh_token");
        // WeChat's refresh keeps the refresh token (it lives 30 days) and answers a new access token.
        var answer = Issue(newRefresh: false);
        answer["refresh_token"] = q["refresh_token"].ToString();
        return Results.Json(answer);
    }

    private Dictionary<string, object> Issue(bool newRefresh)
    {
        var access = "wx-at-" + Guid.NewGuid().ToString("n");
        _accessTokens[access] = true;
        var answer = new Dictionary<string, object>
        {
            ["access_token"] = access, ["expires_in"] = AccessTokenLifetime, ["openid"] = OpenId, ["scope"] = "snsapi_login", ["unionid"] = UnionId,
        };
        if (newRefresh)
        {
            var refresh = "wx-rt-" + Guid.NewGuid().ToString("n");
            _refreshTokens[refresh] = true;
            answer["refresh_token"] = refresh;
        }
        return answer;
    }

    // WeChat answers errors with HTTP 200 and errcode/errmsg in the body.
    private static IResult Error(int code, string message) => Results.Json(new Dictionary<string, object> { ["errcode"] = code, ["errmsg"] = message });

    private static IEnumerable<KeyValuePair<string, string?>> Query(params (string Name, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string?>(p.Name, p.Value));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
