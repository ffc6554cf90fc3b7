using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// The standard import plus clients and users for the interactive flows (authorization endpoint, sign-in, consent).
/// Kept apart from <see cref="TestClients.StandardImport"/> so its counts stay what the import tests expect.
/// </summary>
public static class PeopleImport
{
    public const string Web = "web";
    public const string WebSecret = "web-secret-0123456789-abcdefghijk";
    public const string WebRedirect = "http://127.0.0.1:4412/callback";
    public const string WebPostLogoutRedirect = "http://127.0.0.1:4412/logged-out";
    public const string Spa = "spa";
    public const string SpaRedirect = "https://spa.example/callback";
    /// <summary>Public, no consent, offline_access allowed but not the refresh_token grant: never gets a refresh token.</summary>
    public const string FirstParty = "first-party";
    // An https (web) redirect: a public client on a loopback or custom-scheme redirect is asked every time (RFC 8252 §8.6).
    public const string FirstPartyRedirect = "https://localhost:4413/signed-in";

    /// <summary>Public device-flow clients (RFC 8628): a command-line tool and a TV app.</summary>
    public const string Cli = "cli";

    /// <summary>A public native app with a loopback redirect (RFC 8252 §7.3: any port at request time).</summary>
    public const string Native = "native";
    public const string NativeRedirect = "http://127.0.0.1/callback";
    public const string Tv = "tv";

    /// <summary>A gateway: signs users in, and exchanges their tokens (RFC 8693) for the internal services' API.</summary>
    public const string Gateway = "gateway";
    public const string GatewaySecret = "gateway-secret-0123456789-abcdefg";
    public const string GatewayRedirect = "http://127.0.0.1:4414/signin-oidc";
    public const string InternalAudience = "https://internal.example";
    /// <summary>A second gateway, used by one test only, so that what alice consented to there is known exactly.</summary>
    public const string SecondGateway = "gateway-two";
    public const string SecondGatewaySecret = "gateway-two-secret-0123456789-abc";
    public const string SecondGatewayRedirect = "http://127.0.0.1:4415/signin-oidc";
    /// <summary>Two services in a chain: each exchanges the token it received, acting with its own client-credentials token.</summary>
    public const string RelayA = "relay-a";
    public const string RelayASecret = "relay-a-secret-0123456789-abcdefg";
    public const string RelayB = "relay-b";
    public const string RelayBSecret = "relay-b-secret-0123456789-abcdefg";

    /// <summary>A confidential client that serves no API: introspection tells it about its own tokens only.</summary>
    /// <summary>RFC 9449 §5.2: a client registered with dpop_bound_access_tokens (import: requireDpop).</summary>
    public const string DpopOnly = "dpop-only";
    public const string DpopOnlySecret = "dpop-only-secret-0123456789-abcde";

    /// <summary>RFC 9126 §6: a client whose authorization requests must be pushed (import: requirePushedAuthorizationRequests).</summary>
    public const string ParOnly = "par-only";
    public const string ParOnlySecret = "par-only-secret-0123456789-abcdef";
    public const string ParOnlyRedirect = "https://par.example/callback";

    /// <summary>RFC 9101: a client that signs its authorization requests (request objects) with the key registered in its jwks.</summary>
    public const string Signer = "signer";
    public const string SignerSecret = "signer-secret-0123456789-abcdefgh";
    public const string SignerRedirect = "https://signer.example/callback";
    /// <summary>The private half of <see cref="Signer"/>'s key; the import carries only the public JWK.</summary>
    public static readonly Microsoft.IdentityModel.Tokens.ECDsaSecurityKey SignerKey =
        new(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)) { KeyId = "signer-1" };

    public const string Outsider = "outsider";
    public const string OutsiderSecret = "outsider-secret-0123456789-abcdef";

    public const string NotesAudience = "https://notes.example";
    public const string NotesRead = "notes:read";
    public const string NotesReadInEnglish = "Read the notes you wrote";
    public const string NotesReadInChinese = "读取你写的笔记";

    public const string Alice = "alice";
    public const string AlicePassword = "Alice-test-pass-1";
    /// <summary>Users whose only purpose is to be locked out by the lockout tests (one per test).</summary>
    public const string LockoutFive = "carol";
    public const string LockoutTen = "dave";
    public const string LockoutPassword = "Lockout-test-pass-1";
    /// <summary>The user who guesses device codes until stopped (so nobody else's attempts are used up).</summary>
    public const string Guesser = "erin";
    /// <summary>The user who sends many wrong device codes at once.</summary>
    public const string ParallelGuesser = "frank";

    public static JsonObject Create()
    {
        var import = TestClients.StandardImport();
        import["apiResources"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "internal", ["audience"] = InternalAudience, ["scopes"] = new JsonArray("internal"),
            ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "ES256", ["accessTokenLifetime"] = "00:05:00",
        });
        // A scope the operator words per language (issue 20), and one left to Tessera's sentence.
        import["apiResources"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "notes", ["audience"] = NotesAudience,
            ["scopes"] = new JsonArray(
                new JsonObject { ["name"] = NotesRead, ["displayNames"] = new JsonObject { ["en"] = NotesReadInEnglish, ["zh-CN"] = NotesReadInChinese } },
                "notes:write"),
        });
        var clients = import["clients"]!.AsArray();
        // The tests' resource servers introspect the internal API's tokens too.
        foreach (var resourceServer in clients.Where(c => (string?)c!["clientId"] is TestClients.Service or TestClients.Other))
            resourceServer!["introspects"]!.AsArray().Add("internal");
        clients.Add(new JsonObject
        {
            ["clientId"] = DpopOnly, ["clientSecret"] = DpopOnlySecret, ["requireDpop"] = true,
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message", "ledger"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = ParOnly, ["clientSecret"] = ParOnlySecret, ["requirePushedAuthorizationRequests"] = true,
            ["grantTypes"] = new JsonArray("authorization_code"), ["redirectUris"] = new JsonArray(ParOnlyRedirect),
            ["scopes"] = new JsonArray("openid", "message"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Signer, ["clientSecret"] = SignerSecret, ["jwks"] = TestClients.PublicJwks(SignerKey),
            ["grantTypes"] = new JsonArray("authorization_code"), ["redirectUris"] = new JsonArray(SignerRedirect),
            // ledger too, so a wider scope outside the request object would be granted if it were read.
            ["scopes"] = new JsonArray("openid", "message", "ledger"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Outsider, ["clientSecret"] = OutsiderSecret,
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Gateway, ["clientSecret"] = GatewaySecret, ["displayName"] = "The Gateway",
            ["grantTypes"] = new JsonArray("authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange"),
            ["redirectUris"] = new JsonArray(GatewayRedirect),
            // Registered for message and ledger, not message:write: an exchange passes on only what the gateway may hold.
            ["scopes"] = new JsonArray("openid", "profile", "internal", "message", "ledger"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = SecondGateway, ["clientSecret"] = SecondGatewaySecret,
            ["grantTypes"] = new JsonArray("authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange"),
            ["redirectUris"] = new JsonArray(SecondGatewayRedirect),
            ["scopes"] = new JsonArray("openid", "internal"),
        });
        foreach (var (id, secret) in new[] { (RelayA, RelayASecret), (RelayB, RelayBSecret) })
        {
            clients.Add(new JsonObject
            {
                ["clientId"] = id, ["clientSecret"] = secret,
                ["grantTypes"] = new JsonArray("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"),
                ["scopes"] = new JsonArray("internal", "short", "message"),
            });
        }
        clients.Add(new JsonObject
        {
            ["clientId"] = Web, ["clientSecret"] = WebSecret, ["displayName"] = "The Web App",
            // A server-side app that predates PKCE: the per-client opt-out (PkceRequiredTests covers the default).
            ["requirePkce"] = false,
            ["grantTypes"] = new JsonArray("authorization_code", "refresh_token"),
            ["redirectUris"] = new JsonArray(WebRedirect),
            ["postLogoutRedirectUris"] = new JsonArray(WebPostLogoutRedirect),
            // messages and inventory are both RS256 JWT APIs: a grant for both still gives one token per API.
            ["scopes"] = new JsonArray("openid", "profile", "email", "offline_access", "message", "ledger", "inventory", "tessera:pats", NotesRead, "notes:write"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Spa, ["public"] = true, ["displayName"] = "Single-page app",
            ["grantTypes"] = new JsonArray("authorization_code", "refresh_token"),
            ["redirectUris"] = new JsonArray(SpaRedirect),
            ["scopes"] = new JsonArray("openid", "profile", "offline_access", "message"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = FirstParty, ["public"] = true, ["requireConsent"] = false,
            ["grantTypes"] = new JsonArray("authorization_code"),
            ["redirectUris"] = new JsonArray(FirstPartyRedirect),
            ["scopes"] = new JsonArray("openid", "email", "offline_access"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Cli, ["public"] = true, ["displayName"] = "Command-line tool",
            ["grantTypes"] = new JsonArray("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
            ["scopes"] = new JsonArray("openid", "profile", "offline_access", "message", "tessera:pats"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Tv, ["public"] = true,
            ["grantTypes"] = new JsonArray("urn:ietf:params:oauth:grant-type:device_code"),
            ["scopes"] = new JsonArray("openid"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = Native, ["public"] = true,
            ["grantTypes"] = new JsonArray("authorization_code"),
            ["redirectUris"] = new JsonArray(NativeRedirect, "http://[::1]/callback"),
            ["scopes"] = new JsonArray("openid"),
        });
        var users = import["users"]!.AsArray();
        users.Add(new JsonObject { ["username"] = LockoutFive, ["password"] = LockoutPassword });
        users.Add(new JsonObject { ["username"] = LockoutTen, ["password"] = LockoutPassword });
        users.Add(new JsonObject { ["username"] = Guesser, ["password"] = LockoutPassword });
        users.Add(new JsonObject { ["username"] = ParallelGuesser, ["password"] = LockoutPassword });
        return import;
    }
}

/// <summary>One server per database provider with <see cref="PeopleImport"/>, shared by the interactive-flow suites.</summary>
public abstract class PeopleFixture(DatabaseKind kind) : IAsyncLifetime
{
    private TesseraServer? _server;

    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await TesseraServer.StartAsync(kind, PeopleImport.Create());

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

public sealed class SqlitePeopleFixture() : PeopleFixture(DatabaseKind.Sqlite);

public sealed class PostgresPeopleFixture() : PeopleFixture(DatabaseKind.Postgres);

public sealed class PgBouncerPeopleFixture() : PeopleFixture(DatabaseKind.PgBouncer);

[CollectionDefinition(Name)]
public sealed class SqlitePeopleCollection : ICollectionFixture<SqlitePeopleFixture>
{
    public const string Name = "people-sqlite";
}

[CollectionDefinition(Name)]
public sealed class PostgresPeopleCollection : ICollectionFixture<PostgresPeopleFixture>
{
    public const string Name = "people-postgres";
}

[CollectionDefinition(Name)]
public sealed class PgBouncerPeopleCollection : ICollectionFixture<PgBouncerPeopleFixture>
{
    public const string Name = "people-pgbouncer";
}
