using Tessera.Testing;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>
/// A Tessera server whose issuer is <c>http://localhost:PORT</c> (listening on 127.0.0.1 only): WebAuthn needs a secure
/// context and a domain as the relying party's ID, and Chromium treats localhost as both; an IP address is neither.
/// The same client and users as <see cref="SignInFixture"/>. A second node on the same database and issuer stands for
/// the other servers behind one address.
/// </summary>
public sealed class PasskeyFixture : IAsyncLifetime
{
    private CallbackListener? _callback;
    private TestDatabase? _database;
    private TesseraServer? _server;
    private TesseraServer? _otherNode;

    public CallbackListener Callback => _callback ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");
    public TesseraServer OtherNode => _otherNode ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _callback = await CallbackListener.StartAsync();
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var issuer = $"http://localhost:{TesseraServer.FreePort()}";
        _server = await TesseraServer.StartAsync(_database, SignInFixture.Import(_callback.RedirectUri), new Dictionary<string, string?>
        {
            ["Urls"] = new Uri(issuer).ToString().Replace("localhost", "127.0.0.1", StringComparison.Ordinal),
            ["Tessera:Issuer"] = issuer,
        });
        _otherNode = await TesseraServer.StartAsync(_database, SignInFixture.Import(_callback.RedirectUri), new Dictionary<string, string?>
        {
            ["Tessera:Issuer"] = issuer,
        });
    }

    public async Task DisposeAsync()
    {
        if (_otherNode is not null) await _otherNode.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_callback is not null) await _callback.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PasskeyCollection : ICollectionFixture<PasskeyFixture>
{
    public const string Name = "browser-passkeys";
}
