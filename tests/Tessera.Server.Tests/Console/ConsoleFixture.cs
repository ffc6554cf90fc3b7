using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Console;

/// <summary>
/// One server for the console's tests: the people import with three administrators, each holding one role — a reader
/// (tessera:admin:read), a client administrator (tessera:admin:clients) and a superadmin (tessera:admin) — each with an
/// authenticator set up through the security page, and alice, who holds no admin permission.
/// </summary>
public abstract class ConsoleFixture(DatabaseKind kind) : IAsyncLifetime
{
    public const string Reader = "console-reader";
    public const string ClientAdmin = "console-clients";
    public const string Super = "console-super";

    /// <summary>Holds tessera:admin:read but has no second factor to give.</summary>
    public const string WithoutSecondFactor = "console-no-factor";
    public const string Password = "Console-test-pass-1";

    /// <summary>Users named member-000 … member-059.</summary>
    public const int Members = 60;

    private TestDatabase _database = null!;
    private readonly Dictionary<string, SecondFactor> _apps = [];

    public TesseraServer Server { get; private set; } = null!;

    public static JsonObject Import()
    {
        var import = PeopleImport.Create();
        import["roles"] = new JsonArray
        {
            new JsonObject { ["name"] = "console-readers", ["permissions"] = new JsonArray("tessera:admin:read") },
            new JsonObject { ["name"] = "client-admins", ["permissions"] = new JsonArray("tessera:admin:clients") },
            new JsonObject { ["name"] = "superadmins", ["permissions"] = new JsonArray("tessera:admin") },
        };
        var users = import["users"]!.AsArray();
        users.Add(new JsonObject { ["username"] = Reader, ["password"] = Password, ["roles"] = new JsonArray("console-readers") });
        users.Add(new JsonObject { ["username"] = ClientAdmin, ["password"] = Password, ["roles"] = new JsonArray("client-admins") });
        users.Add(new JsonObject { ["username"] = Super, ["password"] = Password, ["roles"] = new JsonArray("superadmins") });
        users.Add(new JsonObject { ["username"] = WithoutSecondFactor, ["password"] = Password, ["roles"] = new JsonArray("console-readers") });
        // More users than a page holds, for the keyset pagination and the search.
        for (var i = 0; i < Members; i++)
            users.Add(new JsonObject { ["username"] = $"member-{i:D3}", ["password"] = Password, ["email"] = $"member{i:D3}@example.com" });
        return import;
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(kind);
        Server = await TesseraServer.StartAsync(_database, Import());
        foreach (var admin in new[] { Reader, ClientAdmin, Super })
            _apps[admin] = await SecondFactor.EnableAsync(Server, admin, Password);
    }

    /// <summary>A new browser signed in to the console as <paramref name="username"/>: password, then a recovery code.</summary>
    public async Task<Browser> SignedInAsync(string username)
    {
        var browser = new Browser(Server);
        var signIn = await browser.FollowAsync(await browser.GetAsync("/console"));
        var code = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", username), ("password", Password), ("returnUrl", signIn.Field("returnUrl")!)]));
        var console = await browser.FollowAsync(await browser.SubmitAsync(code, code.RequestPath,
            [("recoveryCode", _apps[username].NextRecoveryCode()), ("returnUrl", code.Field("returnUrl") ?? "")]));
        if (console.RequestPath != "/console") throw new InvalidOperationException($"{username} did not reach the console: {console.RequestPath} {console.Status}");
        return browser;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class SqliteConsoleFixture() : ConsoleFixture(DatabaseKind.Sqlite);

public sealed class PostgresConsoleFixture() : ConsoleFixture(DatabaseKind.Postgres);
