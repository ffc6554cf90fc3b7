using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Testing;

namespace Tessera.Benchmarks;

/// <summary>
/// Issue 20: the console's user list and search with 100,000 users on SQLite, as an administrator's browser asks for them
/// — the whole page over HTTP from the real host on Kestrel (127.0.0.1), session cookie, second factor and all. Seeds
/// the users (EF Core, in batches), signs a superadmin in (password, then a recovery code), then times each page a
/// bounded number of times and prints the median, 95th percentile and worst. Not a test: nothing here asserts a time.
///
///   dotnet run -c Release --project bench/Tessera.Benchmarks -- console-users [USERS] [ROUNDS]
/// </summary>
public static partial class ConsoleUserPages
{
    private const string Admin = "bench-admin";
    private const string Password = "Bench-admin-pass-1";

    public static async Task<int> RunAsync(int userCount, int rounds)
    {
        var import = new JsonObject
        {
            ["roles"] = new JsonArray(new JsonObject { ["name"] = "superadmins", ["permissions"] = new JsonArray("tessera:admin") }),
            ["users"] = new JsonArray(new JsonObject { ["username"] = Admin, ["password"] = Password, ["roles"] = new JsonArray("superadmins") }),
        };
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, import);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(server, userCount);
        Console.WriteLine($"seeded {userCount:N0} users in {seeding.Elapsed.TotalSeconds:F1} s");
        var recoveryCode = await SecondFactorAsync(server);

        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        await SignInAsync(http, recoveryCode);

        var deep = $"USER-{userCount * 9 / 10:D6}";
        var pages = new (string Name, string Path)[]
        {
            ("the overview (counts every user)", "/console"),
            ("first page", "/console/users"),
            ("a page 90% down the list (keyset)", $"/console/users?after={deep}"),
            ("search by username prefix", $"/console/users?q=user-0421"),
            ("search by a prefix matching every user", "/console/users?q=user-"),
            ("search by e-mail address", $"/console/users?q=user{userCount / 2:D6}@example.com"),
            ("no match", "/console/users?q=nobody-at-all"),
        };
        Console.WriteLine($"{"page",-42} {"median",8} {"p95",8} {"worst",8}  (ms, {rounds} requests each, after 5 warm-up)");
        foreach (var (name, path) in pages)
        {
            for (var i = 0; i < 5; i++) await GetAsync(http, path);
            var times = new List<double>(rounds);
            for (var i = 0; i < rounds; i++)
            {
                var watch = Stopwatch.StartNew();
                await GetAsync(http, path);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"{name,-42} {times[times.Count / 2],8:F1} {times[(int)(times.Count * 0.95)],8:F1} {times[^1],8:F1}");
        }
        return 0;
    }

    /// <summary>Users user-000000 … with e-mail addresses, inserted through EF Core in batches (no password: nobody signs in as them).</summary>
    private static async Task SeedAsync(TesseraServer server, int count)
    {
        const int batch = 5_000;
        for (var start = 0; start < count; start += batch)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                var name = $"user-{i:D6}";
                var email = $"user{i:D6}@example.com";
                db.Users.Add(new TesseraUser
                {
                    UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                    SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(),
                });
            }
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Turns on the admin's authenticator and takes one recovery code, as the security page would show it.</summary>
    private static async Task<string> SecondFactorAsync(TesseraServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>();
        var admin = await users.FindByNameAsync(Admin) ?? throw new InvalidOperationException("the admin was not imported");
        await users.ResetAuthenticatorKeyAsync(admin);
        await users.SetTwoFactorEnabledAsync(admin, true);
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync(admin, 1))!.Single();
    }

    private static async Task SignInAsync(HttpClient http, string recoveryCode)
    {
        var signIn = await http.GetStringAsync("/account/sign-in?returnUrl=%2Fconsole");
        var code = await PostAsync(http, "/account/sign-in", signIn, [("username", Admin), ("password", Password), ("returnUrl", "/console")]);
        var codePage = await http.GetStringAsync(code.Headers.Location!.OriginalString);
        var done = await PostAsync(http, code.Headers.Location!.OriginalString, codePage, [("recoveryCode", recoveryCode), ("returnUrl", "/console")]);
        if (done.Headers.Location?.OriginalString != "/console") throw new InvalidOperationException($"the admin did not get into the console: {(int)done.StatusCode} {done.Headers.Location}");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string page, (string, string)[] fields)
    {
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).Append(new("__RequestVerificationToken", token));
        return await http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        await response.Content.ReadAsByteArrayAsync();
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex AntiforgeryField();
}
